"""accounts: people, departments, service centres (通办地) and staff roles scoped to a centre
and a jurisdiction; applicants (natural persons and companies); login with rate limiting.

Public functions: `services.create_staff`, `services.create_applicant`,
`services.check_login_allowed` / `services.record_login_failure`; selectors in `selectors`.
"""
