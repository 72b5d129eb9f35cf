"""Registries (跨部门数据共享): local copies of other departments' data behind one connector
seam per source, the enterprise-name check, unified social credit codes, the data-exchange
log.

Owns: market entities, the enterprise-names index, the business-scope catalogue, the
hosted-address directory, housing property records, restriction lists, credit ratings,
verified identities, issued codes and their serial blocks, exchange records, load jobs.

Public: `checks` (check_name, check_business_scope, check_address, check_restrictions,
check_credit, verify_identity — each returns a `results.CheckResult`), `exchange.QueryContext`,
`services` (issue_uscc, register_entity, reserve_name, register_address_host,
confirm_hosted_address), `selectors`, `loaders.load_file`, `connectors.get_connector` / `use`,
`demo.generate.generate_demo`; the `registries` command; `api.router` (/registries).
Reference: docs/reference/registries.md; decisions: docs/adr/0008-registries-and-name-index.md.
"""
