"""My progress, Join a class and Facilitator pages (AppTest, with the store on a temporary SQLite file)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from lab.classes import create_class, join_class
from lab.classes.drills import ready_made
from lab.classes.live import start_drill
from lab.store import open_store
from lab.ui.identity import auth_provider, plain
from tests.app.conftest import OpenPage

PROGRESS, CLASS, FACILITATOR = "ui/pages/progress.py", "ui/pages/class_room.py", "ui/pages/facilitator.py"


def _texts(at) -> str:
    parts = [h.value for h in (*at.title, *at.subheader)]
    parts += [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in (*at.error, *at.success, *at.info, *at.warning)]
    return "\n".join(str(p) for p in parts)


def _drill(drill_id: str) -> dict:
    return next(p for s, p in ready_made() if s.id == drill_id)


def test_single_sign_on_is_detected_only_when_configured() -> None:
    base = {"redirect_uri": "https://lab.example.org/oauth2callback", "cookie_secret": "x" * 32}
    client = {"client_id": "id", "client_secret": "secret",
              "server_metadata_url": "https://accounts.google.com/.well-known/openid-configuration"}
    assert auth_provider({}) is None
    assert auth_provider({"auth": {}}) is None
    assert auth_provider({"auth": {**base}}) is None, "no client: not usable"
    assert auth_provider({"auth": {**client}}) is None, "no redirect_uri or cookie_secret"
    assert auth_provider({"auth": {**base, **client}}) == ""
    assert auth_provider({"auth": {**base, "google": client}}) == "google"
    assert auth_provider({"auth": {**base, "okta": {"client_id": "id"}}}) is None


def test_plain_makes_markup_inert() -> None:
    assert plain("**Eve** <b>[x](y)</b> :red[z]") == (
        "\\*\\*Eve\\*\\* \\<b\\>\\[x\\]\\(y\\)\\</b\\> \\:red\\[z\\]")


def test_progress_page_starts_a_profile_and_shows_the_resume_link(open_page: OpenPage) -> None:
    at = open_page(PROGRESS)
    assert not at.exception
    at.text_input(key="new-name").set_value("**Mina**")
    at.button(key="start").click().run()
    assert not at.exception
    assert "Signed in as **\\*\\*Mina\\*\\***." in _texts(at)
    link = at.code[0].value
    assert "/progress?resume=" in link
    token = link.split("resume=")[1]
    again = open_page(PROGRESS, resume=token)
    assert "Signed in as" in _texts(again) and "Mina" in _texts(again)


def test_progress_page_refuses_a_bad_name_and_keeps_it(open_page: OpenPage) -> None:
    at = open_page(PROGRESS)
    at.text_input(key="new-name").set_value("Mina\u200b Park")
    at.button(key="start").click().run()
    assert any("invisible" in e.value for e in at.error)
    assert at.text_input(key="new-name").value == "Mina\u200b Park", "what the user typed is kept"


def test_participant_joins_answers_and_sees_the_reveal(open_page: OpenPage) -> None:
    store = open_store()
    now = datetime.now(UTC)
    cls, _key = create_class(store, "Room <1>", now)
    at = open_page(CLASS, code=cls.code)
    assert not at.exception
    at.text_input(key="join-name").set_value("Mina")
    at.button(key="join").click().run()
    assert not at.exception
    assert "No drill yet" in _texts(at)
    prepared = _drill("s4-bgp-failover")
    drill = start_drill(store, cls, prepared, now, 600)
    at.run()
    assert prepared["prompt"] in _texts(at)
    assert plain("Customer gateway device down on cgw-a (Customer gateway A) at 60 s, until the end") in _texts(at)
    assert "cgw-down:cgw-a@60" not in _texts(at), "the script's technical form is for the facilitator"
    at.radio(key=f"drill-{drill.id}").set_value(prepared["answer"])
    at.button(key=f"send-{drill.id}").click().run()
    assert not at.exception
    assert any("Your answer is in" in s.value for s in at.success)
    assert not at.get("plotly_chart"), "no distribution before the reveal"
    store.reveal_drill(drill.id, now + timedelta(seconds=1))
    at.run()
    assert any(s.value.startswith("Right!") for s in at.success)
    assert at.get("plotly_chart"), "the room's answers after the reveal"
    links = at.get("page_link")
    assert links[-1].proto.page == "scenario-lab"
    assert links[-1].proto.query_string == "scenario=s4&fail=cgw-down%3Acgw-a%4060"


def test_facilitator_creates_a_class_and_sees_a_participant(open_page: OpenPage) -> None:
    at = open_page(FACILITATOR)
    assert not at.exception
    at.text_input(key="fac_new_title").set_value("Week 1")
    at.button(key="fac_create").click().run()
    assert not at.exception
    code = at.metric[0].value
    key = at.code[1].value
    assert len(code) == 6 and len(key) >= 30
    join_class(open_store(), code, datetime.now(UTC), name="<script>x</script>")
    at.run()
    assert "Nobody has joined yet" not in _texts(at)
    names = at.dataframe[0].value["Name"].tolist()
    assert names == ["<script>x</script>"], "shown as text in the table"
    # Another browser opens the class with the code and key.
    other = open_page(FACILITATOR)
    other.text_input(key="fac_open_code").set_value(code.lower())
    other.text_input(key="fac_open_key").set_value("wrong-key")
    other.button(key="fac_open").click().run()
    assert any("do not match" in e.value for e in other.error)
    other.text_input(key="fac_open_key").set_value(key)
    other.button(key="fac_open").click().run()
    assert other.metric[0].value == code


def test_facilitator_starts_and_reveals_a_drill(open_page: OpenPage) -> None:
    store = open_store()
    now = datetime.now(UTC)
    cls, key = create_class(store, "Drill room", now)
    _, mina, _ = join_class(store, cls.code, now, name="Mina")
    at = open_page(FACILITATOR)
    at.text_input(key="fac_open_code").set_value(cls.code)
    at.text_input(key="fac_open_key").set_value(key)
    at.button(key="fac_open").click().run()
    at.segmented_control(key="fac_view").set_value("Live drill").run()
    assert not at.exception
    assert "No drill has run in this class yet" in _texts(at)
    at.selectbox(key="fac_pick").set_value("ready:dpd-idle-tunnel").run()
    at.button(key="fac_start").click().run()
    assert not at.exception
    drill = store.latest_drill(cls.id)
    assert drill is not None and drill.spec["drill_id"] == "dpd-idle-tunnel"
    from lab.classes.live import submit_answer

    submit_answer(store, drill, mina.id, "2", datetime.now(UTC))
    at.run()
    assert at.metric[-1].value == "1 of 1"
    at.button(key=f"fac_reveal_{drill.id}").click().run()
    assert store.drill(drill.id).revealed_at is not None  # type: ignore[union-attr]


def test_facilitator_runs_a_lesson_exercise_as_a_drill(open_page: OpenPage) -> None:
    """The lessons' exercises are in the drill picker; starting one stores its computed answer and link."""
    store = open_store()
    cls, key = create_class(store, "Exercise room", datetime.now(UTC))
    at = open_page(FACILITATOR)
    at.text_input(key="fac_open_code").set_value(cls.code)
    at.text_input(key="fac_open_key").set_value(key)
    at.button(key="fac_open").click().run()
    at.segmented_control(key="fac_view").set_value("Live drill").run()
    pick = "exercise:exercise-high-availability-s4-bgp-failover-time"
    assert "Lesson exercise: BGP moves the traffic" in at.selectbox(key="fac_pick").options
    at.selectbox(key="fac_pick").set_value(pick).run()
    at.button(key="fac_start").click().run()
    assert not at.exception
    drill = store.latest_drill(cls.id)
    assert drill is not None and drill.spec["format"] == "number"
    assert drill.spec["link"].startswith("scenario=s4&fail=cgw-down:cgw-a@60")


def test_class_and_store_messages_follow_the_page_language(open_page: OpenPage) -> None:
    """A wrong join code is explained in Korean on a Korean page (and in English on an English one); what
    the participant typed stays in the fields. (A name field refuses a 41st character in the browser; the
    CLI test checks that message in Korean.)"""
    open_store()
    at = open_page(CLASS, lang="ko")
    at.text_input(key="join-code").set_value("NOPE42")
    at.text_input(key="join-name").set_value("Mina")
    at.button(key="join").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["수업 코드 'NOPE42'이(가) 없습니다. 진행자가 알려 준 코드를 확인하세요."]
    assert at.text_input(key="join-code").value == "NOPE42" and at.text_input(key="join-name").value == "Mina"
    english = open_page(CLASS)
    english.text_input(key="join-code").set_value("NOPE42")
    english.text_input(key="join-name").set_value("Mina")
    english.button(key="join").click().run()
    assert [e.value for e in english.error] == [
        "Unknown class code 'NOPE42'. Check the code your facilitator gave the room."]


def test_a_korean_participant_reads_the_drills_failures_in_korean(open_page: OpenPage) -> None:
    store = open_store()
    now = datetime.now(UTC)
    cls, _key = create_class(store, "Room", now)
    at = open_page(CLASS, code=cls.code, lang="ko")
    at.text_input(key="join-name").set_value("민아")
    at.button(key="join").click().run()
    start_drill(store, cls, _drill("ike-sa-deleted"), now, 600)
    at.run()
    assert not at.exception
    text = _texts(at)
    assert plain("60초 시점 tunnel-1 (고객 게이트웨이 A, us-east-1a): 고객 게이트웨이가 Delete IKE_SA 전송") in text
    assert "끝까지" not in text
    assert "ike-delete:" not in text
