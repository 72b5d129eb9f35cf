"""cases: applications (办件) — intake centre (通办地) and home jurisdiction (住所地) recorded
separately, readable case numbers, promised completion dates in working days, an append-only
timeline, uploaded materials (type-sniffed, size-capped, stored outside the web root), decisions
by the home jurisdiction's approvers, and delivery of the result by EMS or at a window.

Every state change goes through `services` (submit_case, accept_case, return_case,
resubmit_case, approve_case, reject_case, record_delivery), which writes the case event and
the ledger entry in one transaction. Reads are in `selectors`; rules in `policies`.
"""
