"""catalog: service items (事项) with their department, level, legal and promised time limits
in working days, fee, materials (with the conditions under which each is needed) and form
schema (JSON Schema); loaded from YAML in packs (`services.load_pack`), editable in the admin.

Public: `services.load_pack`, `selectors.item_by_code`, `policies.required_materials`,
`policies.validate_form`.
"""
