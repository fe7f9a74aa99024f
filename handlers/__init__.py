"""The Slack edge: Bolt listeners, one module per feature, each with an explicit `register(app)`.

`handlers.registry` wires them all (the composition root imports it). This package's own
import runs nothing, so `handlers.ids` can be imported by the presenters without loading
the listeners (which import the presenters).
"""
