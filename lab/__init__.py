"""VPN Lab: an interactive learning lab and troubleshooting guide for site-to-site VPNs."""

from pathlib import Path

__version__ = "0.1.0"

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
# Lessons and datasets live beside the package in the checkout (the app runs from an editable install).
PROJECT_DIR = PACKAGE_DIR.parent
LESSONS_DIR = PROJECT_DIR / "lessons"
DATASETS_DIR = PROJECT_DIR / "datasets"
