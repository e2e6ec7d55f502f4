"""Network diagnostic tools; every target goes through tools.safety.TargetPolicy."""
