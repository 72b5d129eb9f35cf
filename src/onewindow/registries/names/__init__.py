"""Enterprise-name rules (企业名称): structure, forbidden words, and the in-memory index.

- `parse.parse_name(text) -> ParsedName`: region + trade name + industry wording + form.
- `rules`: pure conflict rules (identical, same trade name, homophone, near-identical).
- `index.NameIndex`: the process-wide index over the names table (see ADR 0008).
"""
