"""The first Home tab: a welcome there and exactly one DM; later opens get neither again."""

from __future__ import annotations

from handlers import ids
from tests.support.onboarding import buttons, dms, latest_home, open_home, text_of
from tests.support.world import CHANNEL, KD, KSO, OUTSIDER, World


def test_the_first_open_welcomes_someone_in_no_pair_once(world: World) -> None:
    home = open_home(world, OUTSIDER)
    assert "Välkommen till Samspel" in text_of(home)
    assert "`/samspel koppla @kso @kd`" in text_of(home)
    assert (ids.KOPPLA_OPEN, "") in buttons(home)
    [dm] = dms(world, OUTSIDER)
    assert dm["text"].startswith("Välkommen till Samspel!") and "/samspel koppla @kso @kd" in dm["text"]
    assert (ids.KOPPLA_OPEN, "") in buttons(dm["blocks"])

    again = open_home(world, OUTSIDER)
    assert "Välkommen till Samspel" not in text_of(again)
    # Still how to start, as every Home tab of someone in no pair.
    assert "`/samspel koppla @kso @kd`" in text_of(again) and (ids.KOPPLA_OPEN, "") in buttons(again)
    assert len(dms(world, OUTSIDER)) == 1


def test_a_member_gets_a_shorter_welcome_about_their_pair(paired: World) -> None:
    home = open_home(paired, KSO)
    text = text_of(home)
    assert "Välkommen till Samspel" in text and f"Du är KSO i <#{CHANNEL}>" in text
    assert text.index("Välkommen") < text.index("Du är KSO")
    assert "Öppna uppdrag" in text and "Inställningar" in text
    # No coupling pitch for someone already coupled.
    assert (ids.KOPPLA_OPEN, "") not in buttons(home)
    [dm] = dms(paired, KSO)
    assert f"Du är KSO i <#{CHANNEL}>" in dm["text"] and "*Nytt uppdrag*" in dm["text"]
    assert "koppla" not in dm["text"]

    open_home(paired, KD)
    [kd_dm] = dms(paired, KD)
    assert f"Du är KD i <#{CHANNEL}>" in kd_dm["text"] and "Nytt uppdrag" not in kd_dm["text"]

    assert "Välkommen" not in text_of(open_home(paired, KSO))
    assert len(dms(paired, KSO)) == 1


def test_the_welcome_survives_a_change_before_the_home_tab_goes_out(paired: World) -> None:
    """The first Home tab is rendered when it is sent: an uppdrag given meanwhile is on it, and so is the welcome."""
    paired.driver.event({"type": "app_home_opened", "user": KD, "channel": "D0HOME", "tab": "home", "event_ts": "1"})
    paired.command("/uppdrag", "Utred simhallen", user=KSO)
    paired.deliver()
    text = text_of(latest_home(paired, KD))
    assert "Välkommen till Samspel" in text and "Utred simhallen" in text


def test_an_english_speaker_is_welcomed_in_english(world: World) -> None:
    world.slack.locales[OUTSIDER] = "en-GB"
    home = open_home(world, OUTSIDER)
    assert "Welcome to Samspel" in text_of(home) and "Välkommen" not in text_of(home)
    [dm] = dms(world, OUTSIDER)
    assert dm["text"].startswith("Welcome to Samspel!")
    assert "Connect the pair" in text_of(dm["blocks"])
