"""Samspel invited to a channel says once how to couple the pair; Koppla paret opens a form that proposes the pair."""

from __future__ import annotations

from bot.i18n import translator
from handlers import ids
from tests.support.english import swedish_left
from tests.support.onboarding import answer, buttons, dms, input_ids, opened_view, picked, text_of
from tests.support.slack_mock import BOT_USER
from tests.support.world import CHANNEL, KD, KSO, OUTSIDER, World, accept_invitation, invitation

NEW, PUBLIC, OTHER = "GNEW0001", "CPUB0001", "GNEW0002"


def bot_joins(world: World, channel: str, inviter: str | None = None) -> None:
    event = {"type": "member_joined_channel", "user": BOT_USER, "channel": channel, "channel_type": "G", "team": "T0001", "event_ts": "1.0"}
    if inviter:
        event["inviter"] = inviter
    world.driver.event(event)
    world.deliver()


def intro_posts(world: World, channel: str) -> list[dict]:  # type: ignore[type-arg]
    return [m for m in world.slack.posted_to(channel) if (ids.KOPPLA_OPEN, channel) in buttons(m["blocks"] or [])]


def koppla(world: World, user: str, kso: str, kd: str, channel: str | None = None) -> dict:  # type: ignore[type-arg]
    values = {**picked(ids.KOPPLA_KSO, "users_select", selected_user=kso), **picked(ids.KOPPLA_KD, "users_select", selected_user=kd)}
    if channel is None:
        return answer(world.driver.submit(ids.KOPPLA_MODAL, values, user=user, private_metadata=ids.koppla_metadata(NEW)))
    values.update(picked(ids.KOPPLA_CHANNEL, "conversations_select", selected_conversation=channel))
    return answer(world.driver.submit(ids.KOPPLA_MODAL, values, user=user, private_metadata=ids.koppla_metadata(None)))


def test_samspel_invited_to_a_channel_says_once_how_to_couple(world: World) -> None:
    world.slack.add_channel(NEW, KSO, KD)
    bot_joins(world, NEW)
    [intro] = intro_posts(world, NEW)
    assert "`/samspel koppla @kso @kd`" in intro["text"] and "öppen kanal" not in intro["text"]
    # Slack sends the event again (another event id), or Samspel is invited again: no second message.
    bot_joins(world, NEW)
    assert len(intro_posts(world, NEW)) == 1
    # Someone else joining is not Samspel's arrival.
    world.driver.event({"type": "member_joined_channel", "user": OUTSIDER, "channel": NEW, "event_ts": "2.0"})
    world.deliver()
    assert len(world.slack.posted_to(NEW)) == 1


def test_the_intro_is_in_the_language_of_whoever_invited_samspel(world: World) -> None:
    en, sv = translator("en"), translator("sv")
    world.slack.locales.update({KD: "en-US", KSO: "sv-SE"})
    world.slack.add_channel(NEW, KSO, KD)
    world.slack.add_channel(OTHER, KSO, KD)
    # Neither has used Samspel yet: their Slack locale decides.
    bot_joins(world, NEW, inviter=KD)
    bot_joins(world, OTHER, inviter=KSO)
    [english] = intro_posts(world, NEW)
    assert "Connect the pair here with `/samspel koppla @kso @kd`" in english["text"]
    assert swedish_left(english["text"]) == []
    assert en("Koppla paret") in str(english["blocks"]) and sv("Koppla paret") not in str(english["blocks"])
    [swedish] = intro_posts(world, OTHER)
    assert "Koppla paret här med `/samspel koppla @kso @kd`" in swedish["text"]
    assert sv("Koppla paret") in str(swedish["blocks"])


def test_the_intro_follows_the_inviters_own_language_choice(world: World) -> None:
    world.slack.locales[OUTSIDER] = "sv-SE"
    assert world.command("/samspel", "språk en", user=OUTSIDER).status == 200
    world.slack.add_channel(NEW, OUTSIDER, KD)
    bot_joins(world, NEW, inviter=OUTSIDER)
    [intro] = intro_posts(world, NEW)
    assert "Connect the pair here" in intro["text"]


def test_a_public_channel_hears_that_a_pair_channel_must_be_private(world: World) -> None:
    world.slack.add_channel(PUBLIC, KSO, KD, kind="public")
    bot_joins(world, PUBLIC)
    [intro] = intro_posts(world, PUBLIC)
    assert "`/samspel koppla @kso @kd`" in intro["text"] and "öppen kanal" in intro["text"]
    assert "måste vara privat" in intro["text"]


def test_samspel_back_in_its_pair_channel_resumes_the_pair_without_an_intro(paired: World) -> None:
    paired.slack.leave(CHANNEL, BOT_USER)
    paired.driver.event({"type": "group_left", "channel": CHANNEL, "event_ts": "1.0"})
    paired.slack.join(CHANNEL, BOT_USER)
    bot_joins(paired, CHANNEL)
    assert not intro_posts(paired, CHANNEL)
    assert any("Samspel fortsätter" in (m["text"] or "") for m in paired.slack.posted_to(CHANNEL))


def test_the_button_opens_the_form_and_the_other_person_is_asked(world: World) -> None:
    world.slack.add_channel(NEW, KSO, KD)
    bot_joins(world, NEW)
    world.driver.action(ids.KOPPLA_OPEN, NEW, user=KD, channel=NEW)
    view = opened_view(world)
    assert view["callback_id"] == ids.KOPPLA_MODAL and ids.koppla_channel_of(view["private_metadata"]) == NEW
    assert input_ids(view) == {ids.KOPPLA_KSO: "users_select", ids.KOPPLA_KD: "users_select"}

    done = koppla(world, KD, KSO, KD)
    assert done["response_action"] == "update" and f"<@{KSO}>" in text_of(done["view"])
    invite = invitation(world, KSO)
    assert invite is not None and f"<#{NEW}>" in invite["message"]["text"]
    accept_invitation(world, KSO)
    assert any(f"<#{NEW}>" in (m["text"] or "") for m in dms(world, KD))


def test_refusals_come_back_on_the_field_they_are_about(world: World) -> None:
    world.slack.add_channel(NEW, KSO, KD)
    world.slack.add_channel(PUBLIC, KSO, KD, kind="public")
    same = koppla(world, KSO, KSO, KSO)
    assert same["response_action"] == "errors" and "två olika personer" in same["errors"][ids.KOPPLA_KD]
    outsider = koppla(world, OUTSIDER, KSO, KD)
    assert "där du själv är KSO eller KD" in outsider["errors"][ids.KOPPLA_KSO]
    bot = koppla(world, KSO, KSO, BOT_USER)
    assert "Samspel kan inte själv" in bot["errors"][ids.KOPPLA_KD]
    missing = koppla(world, KSO, KSO, OUTSIDER)
    assert f"<@{OUTSIDER}> är inte med i kanalen" in missing["errors"][ids.KOPPLA_KD]
    public = koppla(world, KSO, KSO, KD, channel=PUBLIC)
    assert "öppen kanal" in public["errors"][ids.KOPPLA_CHANNEL]
    assert invitation(world, KD) is None


def test_a_refusal_is_in_the_persons_language(world: World) -> None:
    world.slack.add_channel(NEW, KSO, KD)
    world.slack.locales[OUTSIDER] = "en-US"
    refused = koppla(world, OUTSIDER, KSO, KD)
    assert refused["errors"][ids.KOPPLA_KSO] == "You can only connect a pair in which you are the KSO or the KD."


def test_from_the_home_tab_the_form_asks_for_the_channel_too(world: World) -> None:
    world.slack.add_channel(NEW, KSO, KD)
    world.driver.view_action(ids.KOPPLA_OPEN, "", user=KSO)
    view = opened_view(world)
    assert input_ids(view)[ids.KOPPLA_CHANNEL] == "conversations_select"
    assert koppla(world, KSO, KSO, KD, channel=NEW)["response_action"] == "update"
    invite = invitation(world, KD)
    assert invite is not None and f"<#{NEW}>" in invite["message"]["text"]
