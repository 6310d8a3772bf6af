"""Transform: model → model. Deriving a unit's plan from its superior's (:mod:`.derive`), rolling units'
progress up into a report (:mod:`.rollup`), and the checks that pair two documents."""
