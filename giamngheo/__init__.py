"""giamngheo: Vietnam's multidimensional poverty review, from the household to the nation."""

__version__ = "0.1.0"
