"""Progress collections: the secretariat opens a collection on an issued plan, each unit concerned
reports on its tasks (in a form or with the Excel form), the secretariat follows and reopens."""
