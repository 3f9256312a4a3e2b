"""Judgement: the rule catalogue (:mod:`.catalogue`, ``rules.yaml``) and the
small pure functions that apply it to collected facts (:mod:`.findings`)."""
