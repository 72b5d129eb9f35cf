"""workflow: BPMN 2.0 / DMN execution on SpiffWorkflow for every case.

Owns process definitions imported from packs by content hash (`ProcessDefinition`), their
instances with the engine state in a numbered format (`ProcessInstance`), the inbox of user
tasks (`TaskItem`), due timers and connector retries (`DueTimer`), message subscriptions,
incidents, and the record of every DMN decision (`DecisionRecord`).

Public functions (others import only these, `selectors`, `constants`, `models`):
* services: `load_pack_processes`, `start_process`, `claim_task`, `release_task`,
  `complete_task`, `return_task`, `correlate_message`, `fire_due_timers`, `retry_incident`;
* selectors: `inbox`, `item_for`, `instance_of`, `open_item_for_action`, `open_actions`,
  `decisions_of`, `open_incidents`;
* `metrics.process_metrics(definition) -> ProcessMetrics`;
* `connectors.registry` (register, using, call) and `connectors.base` (Connector,
  RetryableError, TerminalError); `hooks.register_subject_handler`;
* `sandbox` (restricted expressions) and `dmn` (decision tables) — see their modules.

Inside: `engine/` (SpiffWorkflow integration: parser, task specs, script engine, state
serializer), `runner` (lock, restore, advance, record), `sync` (side tables), `timing`
(due-timer scan), `validation` (pack checks), `state_migrations/` (numbered state upgrades).
"""
