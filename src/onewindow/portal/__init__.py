"""portal: server-rendered pages for applicants (apply, track), staff (inbox, assisted intake,
decisions) and the public. Simplified Chinese by default, English switchable. Calls services
and selectors only."""
