"""`/samspel språk par sv|en|auto`: the language of what both members see, set by either of them.

Without it the pair channel and the agenda follow the KSO's own language; with it, they
follow the pair's choice whoever writes, and each person's DMs and answers stay in their own.
"""

from __future__ import annotations

from tests.support.dataskydd import by_header, run_export, tables
from tests.support.english import swedish_left
from tests.support.language import answer, channel_posts, dms_to
from tests.support.world import KD, KSO, World


def _spelregler_post(world: World) -> str:
    world.command("/spelregler", "genomfört", user=KSO)
    world.deliver()
    return channel_posts(world)[-1]


def test_the_kd_sets_the_pair_to_english_and_the_channel_follows_but_not_the_kso_s_own_dms(paired: World) -> None:
    w = paired
    assert answer(w, "/samspel", "språk par en", user=KD) == (
        "Det ni ser tillsammans (parets kanal, agendan) är nu på engelska, vem av er som än skriver det."
    )
    post = _spelregler_post(w)
    assert swedish_left(post) == [], post
    # The KSO still reads Swedish in what is only theirs.
    answer(w, "/meddela", "Ring mig när du kan", user=KD)
    w.deliver()
    assert dms_to(w, KSO)[-1].startswith(f"✉️ Meddelande från <@{KD}>"), dms_to(w, KSO)[-1]
    assert answer(w, "/meddela", "lista", user=KSO).startswith("Du har inga meddelanden som hålls just nu.")


def test_auto_gives_the_channel_back_to_the_kso_s_language(paired: World) -> None:
    w = paired
    answer(w, "/samspel", "språk en", user=KSO)
    assert answer(w, "/samspel", "språk par sv", user=KD).endswith("är nu på svenska, vem av er som än skriver det.")
    assert answer(w, "/samspel", "språk par auto", user=KD) == (
        "Det ni ser tillsammans (parets kanal, agendan) följer nu KSO:ns språk, just nu engelska."
    )
    post = _spelregler_post(w)
    assert swedish_left(post) == [], post


def test_a_bad_value_or_someone_outside_the_pair_is_refused_and_nothing_changes(paired: World) -> None:
    w = paired
    assert answer(w, "/samspel", "språk par tyska", user=KD) == (
        "Skriv `/samspel språk par sv`, `/samspel språk par en` eller `/samspel språk par auto` (som KSO:ns)."
    )
    # Someone outside the pair cannot choose for it.
    assert answer(w, "/samspel", "språk par en", user="UOTHER01") == "Det här kan bara parets KSO och KD använda."
    assert swedish_left(_spelregler_post(w)) != []


def test_the_change_is_in_the_log_as_a_sentence(paired: World) -> None:
    answer(paired, "/samspel", "språk par en", user=KD)
    answer(paired, "/samspel", "språk par auto", user=KSO)
    events = [row["Händelse"] for row in by_header(tables(run_export(paired, "csv"))["Logg"])]
    assert events[-2:] == [
        "Parets språk ändrat från KSO:ns språk till engelska",
        "Parets språk ändrat från engelska till KSO:ns språk",
    ]


def test_status_says_which_language_the_pair_is_in_and_why(paired: World) -> None:
    assert "• Parets språk (kanalen, agendan): svenska, som KSO:ns" in answer(paired, "/samspel", "status", user=KD)
    answer(paired, "/samspel", "språk par en", user=KD)
    assert "• Parets språk (kanalen, agendan): engelska, valt med `/samspel språk par`" in answer(paired, "/samspel", "status", user=KD)
