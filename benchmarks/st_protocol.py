"""A Streamlit client that speaks the app's websocket protocol, for load benchmarks.

It does what the browser's Streamlit frontend does on the wire: it opens `/_stcore/stream`, asks for a
page run (`BackMsg.rerun_script` with the page, the query string and the current widget values), reads
the `ForwardMsg`s (deltas, query-string changes, fragment timers) until the run has finished, and re-runs
a fragment every `run_every` seconds while its page is open, like a browser tab left on that page. It
renders nothing, so the time it measures is the server's: a benchmark's participants cost the server what
real browsers cost it, while their own screens (each on the participant's laptop) are not on the machine
being measured.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect

FINISHED = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_SUCCESSFULLY")
FRAGMENT_FINISHED = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_FRAGMENT_RUN_SUCCESSFULLY")
COMPILE_ERROR = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_WITH_COMPILE_ERROR")


@dataclass
class Widget:
    kind: str  # the Element oneof name: "radio", "button", "text_input", ...
    id: str
    label: str
    options: list[str] = field(default_factory=list)


@dataclass
class RunResult:
    texts: list[str]  # markdown, alert, heading bodies and widget labels/options seen in the run
    widgets: dict[str, Widget]  # by label (the last one wins when two share a label)
    exception: str | None = None

    def has(self, text: str) -> bool:
        return any(text in t for t in self.texts)


class StreamlitSession:
    """One browser tab's worth of Streamlit session, driven over the websocket."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self._ws_url = f"ws://{parts.netloc}/_stcore/stream"
        self._origin = f"{parts.scheme}://{parts.netloc}"
        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._pollers: dict[str, asyncio.Task[None]] = {}
        self._done: asyncio.Future[None] | None = None
        self._texts: list[str] = []
        self._widgets: dict[str, Widget] = {}
        self._exception: str | None = None
        self.page_name = ""
        self.page_hash = ""
        self.query = ""
        self.values: dict[str, WidgetState] = {}  # what the frontend would send back: the widgets' values
        self.fragment_runs = 0

    async def open(self) -> None:
        self._ws = await connect(self._ws_url, subprotocols=["streamlit"],  # type: ignore[list-item]
                                 additional_headers={"Origin": self._origin}, max_size=None, open_timeout=120)
        self._reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        self._stop_polling()
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader

    # --- what a person does ------------------------------------------------------------------------------
    async def goto(self, page_name: str, query: str = "") -> RunResult:
        """Open a page (a click in the navigation, or a link): a fresh run with no widget values."""
        self.page_name, self.page_hash, self.query = page_name, "", query
        self.values = {}
        return await self._full_run()

    async def set(self, widget: Widget, **value: object) -> RunResult:
        """Change one widget (pick a radio option, type into a text input, press a button) and wait for the run."""
        state = WidgetState(id=widget.id, **value)  # type: ignore[arg-type]
        return await self._full_run({widget.id: state})

    async def fill(self, widget: Widget, text: str) -> None:
        """Type into a text input without a run yet (the browser sends it with the next interaction)."""
        self.values[widget.id] = WidgetState(id=widget.id, string_value=text)

    async def set_value(self, widget: Widget, **value: object) -> None:
        """Change a widget that causes no run by itself (it sends its value with the next interaction)."""
        self.values[widget.id] = WidgetState(id=widget.id, **value)  # type: ignore[arg-type]

    # --- the protocol ------------------------------------------------------------------------------------
    def _back_msg(self, extra: dict[str, WidgetState] | None, fragment_id: str = "") -> bytes:
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query
        cs.page_script_hash = self.page_hash
        cs.page_name = self.page_name
        if fragment_id:
            cs.fragment_id = fragment_id
            cs.is_auto_rerun = True
        states = {**self.values, **(extra or {})}
        cs.widget_states.widgets.extend(states.values())
        for wid, st in (extra or {}).items():
            if not st.HasField("trigger_value"):  # a trigger fires once; a value stays
                self.values[wid] = st
        return msg.SerializeToString()

    async def _full_run(self, extra: dict[str, WidgetState] | None = None) -> RunResult:
        assert self._ws is not None, "open() first"
        self._stop_polling()  # the page reruns: its fragment timers start again if the new run has them
        loop = asyncio.get_running_loop()
        self._done = loop.create_future()
        self._texts, self._widgets, self._exception = [], {}, None
        await self._ws.send(self._back_msg(extra))
        await self._done
        return RunResult(self._texts, self._widgets, self._exception)

    def _stop_polling(self) -> None:
        for task in self._pollers.values():
            task.cancel()
        self._pollers.clear()

    async def _poll(self, fragment_id: str, interval: float) -> None:
        assert self._ws is not None
        while True:
            await asyncio.sleep(interval)
            if self._done is not None and not self._done.done():
                continue  # a full run is under way; the browser's timer would be reset by it too
            self.fragment_runs += 1
            await self._ws.send(self._back_msg(None, fragment_id))

    async def _read(self) -> None:
        assert self._ws is not None
        async for raw in self._ws:
            if isinstance(raw, str):
                continue
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "navigation":  # the page that ran: reruns of this page name it by its hash
                self.page_hash = msg.navigation.page_script_hash or self.page_hash
            elif kind == "page_info_changed":
                self.query = msg.page_info_changed.query_string
            elif kind == "delta":
                self._delta(msg)
            elif kind == "auto_rerun":
                fid, interval = msg.auto_rerun.fragment_id, msg.auto_rerun.interval
                if fid not in self._pollers and interval > 0:
                    self._pollers[fid] = asyncio.create_task(self._poll(fid, interval))
            elif kind == "script_finished":
                status = msg.script_finished
                if status in (FINISHED, COMPILE_ERROR) and self._done is not None and not self._done.done():
                    self._done.set_result(None)

    def _delta(self, msg: ForwardMsg) -> None:
        if msg.delta.WhichOneof("type") != "new_element":
            return
        el = msg.delta.new_element
        kind = el.WhichOneof("type")
        if kind is None:
            return
        body = getattr(el, kind)
        if kind == "exception":
            self._exception = f"{body.type}: {body.message}"
        for attr in ("body", "label"):
            text = getattr(body, attr, None)
            if isinstance(text, str) and text:
                self._texts.append(text)
        options = [str(o) for o in getattr(body, "options", [])] if kind in ("radio", "selectbox") else []
        self._texts.extend(options)
        wid = getattr(body, "id", "")
        label = getattr(body, "label", "")
        if wid and isinstance(label, str):
            self._widgets[label] = Widget(kind, wid, label, options)
