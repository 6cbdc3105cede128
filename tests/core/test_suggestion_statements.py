"""What the case page's suggestions cost the database (issues 14 and 18): a case whose
person is named at no other establishment reads nothing about other establishments; the
reports already decided about are one statement; and which matches name the viewer is
asked once for every group, not once a group."""

from __future__ import annotations

from safeguarding.access import Role, StaffPrincipal
from safeguarding.conflicts import name_indexes
from safeguarding.people import AT_RISK, CAUSING_HARM, PersonGiven
from safeguarding.services import Services
from safeguarding.suggestions import SAME_PERSON_AT_RISK, SAME_PERSON_CAUSING_HARM, suggestions_for
from storage.models import Report
from tests.factories import new_establishment, submit
from tests.support.statements import recorded

BULLY, VICTIM = "Bartholomew Quince", "Ignatius Pole"


def people() -> tuple[PersonGiven, ...]:
    return (
        PersonGiven(CAUSING_HARM, "prisoner", "name", BULLY),
        PersonGiven(AT_RISK, "prisoner", "name", VICTIM),
    )


def test_suggestions_read_each_thing_once(services: Services) -> None:
    here = new_establishment(services)
    earlier = [submit(services, here, people=people()).report_id for _ in range(2)]
    case_id = submit(services, here, people=people()).report_id
    with services.db.transaction() as session:
        lead = StaffPrincipal(
            1, Role.LEAD, frozenset({here}), "Lead Person", name_indexes(session, "Lead Person")
        )
        case = session.get(Report, case_id)
        assert case is not None
        with recorded(services) as said:
            found = suggestions_for(session, lead, case, services.policy)
    by_reason = {group.reason: group for group in found.groups}
    for reason in (SAME_PERSON_CAUSING_HARM, SAME_PERSON_AT_RISK):  # two groups, both found
        assert sorted(r.report_id for r in by_reason[reason].reports) == earlier
    assert found.elsewhere == ()
    assert not [s for s in said if "cross_site_request" in s or "FROM establishment" in s]
    decided = [s for s in said if "report_link" in s or "suggestion_decision" in s]
    assert len(decided) == 1 and "report_link" in decided[0], decided
    naming_viewer = [s for s in said if s.startswith("SELECT report_person.report_id FROM")]
    assert len(naming_viewer) == 1, said
