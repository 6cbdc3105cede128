"""Who a case can be referred to, and what they can answer (safeguarding.referrals).

Adults in custody are outside section 42 of the Care Act 2014 (a prison, not the local
authority, leads safeguarding inside it); section 76 gives the local authority a duty of
needs assessment and advice. The first option says that, not "adult safeguarding".
The keys are stored: change a label, never a key.
"""

from __future__ import annotations

from safeguarding.i18n import N_

AGENCY_LABELS = {
    # Translators: an external referral: the local authority under the Care Act 2014 s76
    # (advice, and an assessment of care and support needs; not a s42 enquiry in prison).
    "local_authority": N_("Local authority: advice and needs assessment (Care Act s76)"),
    # Translators: an external referral the safeguarding team can record.
    "police": N_("Police"),
    # Translators: Modern Slavery Act: a National Referral Mechanism referral (needs consent).
    "nrm": N_("National Referral Mechanism (NRM) referral"),
    # Translators: Modern Slavery Act duty to notify: an anonymous MS1 notification.
    "ms1": N_("MS1 notification (duty to notify)"),
    # Translators: a Sexual Assault Referral Centre (forensic examination and support).
    "sarc": N_("Sexual Assault Referral Centre (SARC)"),
    # Translators: the Independent Monitoring Board of the prison.
    "imb": N_("Independent Monitoring Board (IMB)"),
    # Translators: the prison's violence reduction process (CSIP: Challenge, Support and
    # Intervention Plan).
    "violence_reduction": N_("Violence reduction (CSIP)"),
    # Translators: Multi-Agency Public Protection Arrangements.
    "mappa": N_("MAPPA"),
    # Translators: Prevent, the counter-radicalisation referral route.
    "prevent": N_("Prevent"),
    # Translators: a referral about a member of staff: professional standards and the
    # counter-corruption unit.
    "professional_standards": N_("Professional standards and counter-corruption"),
    # Translators: a referral about a member of staff to the Disclosure and Barring Service
    # or their professional body.
    "dbs_professional_body": N_("DBS or a professional body"),
    # Translators: an independent advocate for the person.
    "advocacy": N_("Advocacy"),
    # Translators: ACCT is the prison self-harm and suicide risk process.
    "acct": N_("ACCT opened"),
    # Translators: an external referral the safeguarding team can record.
    "healthcare": N_("Healthcare"),
    # Translators: an external referral the safeguarding team can record.
    "chaplaincy": N_("Chaplaincy"),
    # Translators: Listeners are prisoners trained by Samaritans to give emotional support.
    "listeners_samaritans": N_("Listeners or Samaritans"),
    # Translators: the Prisons and Probation Ombudsman, who investigates complaints.
    "ppo": N_("Prisons and Probation Ombudsman"),
}

RESPONSE_LABELS = {
    # Translators: what an agency answered to a referral: they are acting on it.
    "accepted": N_("Accepted: they are acting on it"),
    # Translators: what an agency answered to a referral: advice only, nothing more from them.
    "advice_given": N_("Advice given, no further action by them"),
    # Translators: what an agency answered to a referral: they will not act on it.
    "declined": N_("Declined"),
    # Translators: NRM: the Reasonable Grounds decision found the person may be a victim.
    "nrm_reasonable_grounds_positive": N_("NRM: positive Reasonable Grounds decision"),
    # Translators: NRM: the Reasonable Grounds decision did not find the person a victim.
    "nrm_reasonable_grounds_negative": N_("NRM: negative Reasonable Grounds decision"),
    # Translators: NRM: the Conclusive Grounds decision found the person is a victim.
    "nrm_conclusive_grounds_positive": N_("NRM: positive Conclusive Grounds decision"),
    # Translators: NRM: the Conclusive Grounds decision did not find the person a victim.
    "nrm_conclusive_grounds_negative": N_("NRM: negative Conclusive Grounds decision"),
}
# A Reasonable Grounds decision is a step, not the end: the referral waits for the
# Conclusive Grounds decision, so it keeps its chase date.
INTERIM_RESPONSES = ("nrm_reasonable_grounds_positive",)
NRM_ONLY_RESPONSES = tuple(key for key in RESPONSE_LABELS if key.startswith("nrm_"))
