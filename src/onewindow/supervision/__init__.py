"""Supervision (事中事后监管): commitments made under 告知承诺 and the live-capture photos
of remote inspections.

Owns: `Commitment` (a firm's promise to supply listed documents by a deadline in working
days; fulfilled, or revoked with its filing when the deadline passes), `CaptureKey` (the
public keys of the capture apps that sign live photos) and `LivePhoto` (a photo accepted
with a verified live-capture record).

Public: `services.start_promise_application` (reform 5), `services.start_pharmacy_renewal`
(reform 13), `services.register_capture_key`, `services.store_live_photo`; `selectors`
(`commitment_of`, `commitments_of_firm`, `broken_commitments`, `photos_of`);
`policies` (watermark message, checks, commitment deadline); `process.PromiseHandler`, the
workflow subject handler of `promise:` processes, which turns what the reform 5 process
decides (commitment open / fulfilled / filing revoked) into rows, ledger entries and the
firm's notice. Ledger subjects: `commitment`, `live_photo`.
"""
