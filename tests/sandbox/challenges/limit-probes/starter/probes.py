"""Write the probes the statement asks for."""
