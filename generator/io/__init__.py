"""Input and output of data: YAML in (:mod:`.loader`, located problems) and out (:mod:`.yamlout`),
Excel progress forms (:mod:`.excel`), reference data from ``data/`` (:mod:`.refdata`), and the one
atomic file writer (:mod:`.fsutil`). Imports :mod:`generator.model` and :mod:`generator.lang`."""
