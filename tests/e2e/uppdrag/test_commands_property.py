"""Any text typed after /uppdrag or /arende, through the real app: always a 200 and a private answer."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.signing import ephemeral_text
from tests.support.strategies import words
from tests.support.world import KD, KSO, World


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=words, as_kd=st.booleans())
def test_commands_always_answer(paired: World, text: str, as_kd: bool) -> None:
    """Through the real app: any text gives a 200 and a private answer, never an error page."""
    user = KD if as_kd else KSO
    for command in ("/uppdrag", "/arende"):
        resp = paired.command(command, text, user=user)
        assert resp.status == 200, (command, text)
        assert ephemeral_text(resp).strip()
