"""EvidenceGUI: compare clinical-trial arms. Version only; imports nothing heavy."""
__version__ = "0.1.0"
