"""certificates: electronic licences and permits (电子证照) with signed QR payloads.

Owns certificate types, certificates and their status history, departments' signing keys
(public halves; private halves in the key directory), the trust list, the revocation list,
public and offline verification, and the licence rendered as HTML and PDF.

Public functions:
- `services`: issue_licence_with_permits, issue_certificate, add_permits,
  suspend_certificate, reinstate_certificate, revoke_certificate, expire_certificates,
  define_certificate_type, create_signing_key, rotate_signing_key, revoke_signing_key,
  verify_public (online verification, logged and rate limited).
- `selectors`: certificate_by_number, permits_of, status_history, trust_list_document,
  revocation_entries, active_key, certificate_types.
- `records.register_public_records_provider(fn)`: penalties and dishonesty records shown
  on the public page (the registries app plugs in here).
- `verification.verify_text` (offline, pure); `render.licence_html` / `render.licence_pdf`.
- Commands: `onewindow verify`, `onewindow certificates ...`.
"""
