"""Is this instance able to serve? What /healthz reports to a load balancer or a monitor."""

import logging

from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)


def database_reachable() -> bool:
    """One trivial query on the default database; False (and a log line for the operator) when it fails."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        # The reason goes to the server's log only, never into the answer.
        logger.warning("Health check: the database did not answer: %s", error)
        return False
    return True
