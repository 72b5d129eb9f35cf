"""core: what every app shares — bilingual domain errors with stable codes, request ids,
the Hubei gazetteer and address resolver (`core.gazetteer`), the working-day calendar
(`core.calendar`) and checks of national identifiers (`core.identifiers`)."""
