"""Batch loops of the scheduled actions (SLA sweep and replanning, letter
outbox, anonymisation): one transaction per batch, within the time the cron
runner gives the job."""

import logging
import random
import time

from psycopg2.errors import SerializationFailure

from odoo.modules import module as odoo_module

from .letter_flags import CTX_NO_COMMIT

_logger = logging.getLogger(__name__)

MAX_RETRIES = 5
# A run stops when the time left would not hold another batch this long
# (times the last batch's duration).
TIME_MARGIN = 1.5
# Seconds the last batch took, per (database, loop), in this process.
LAST_BATCH_SECONDS = {}
# The end of the cron run (``cron_end_time``) that last ran a batch, per
# (database, loop): a new run always runs at least one batch.
LAST_RUN_END = {}


def commits(env):
    """Whether the batch loops commit: not in tests, nor for a caller that
    runs inside a larger transaction (``complaint_no_commit``)."""
    return not (odoo_module.current_test or env.context.get(CTX_NO_COMMIT))


def run_in_batches(
    env,
    batch,
    batch_size,
    *,
    cron_xmlid,
    conflicts=(SerializationFailure,),
    remaining=None,
    on_batch=None,
):
    """Run ``batch(size)`` (it handles at most ``size`` items and returns
    how many) until it handles fewer than ``size``; return how many items
    were handled.

    Outside tests each batch commits (``ir.cron._commit_progress``), and a
    conflict with a concurrent transaction (a handler's edit, another
    worker) rolls the batch back and runs it again in a new transaction, so
    nothing is lost nor done twice. When the time the cron runner gives the
    job (``_commit_progress`` answers it) would not hold another batch, the
    loop stops and triggers the scheduled action ``cron_xmlid`` again: a
    new run goes on, and a run stays far inside the cron worker's time
    limit. A caller already inside a larger transaction (the demo story,
    loaded in a savepoint) passes the context key ``complaint_no_commit``.

    :param batch_size: a number, or a function giving the size of the next
        batch (the letters adapt it to the measured time per letter)
    :param remaining: optional function counting the items still waiting
        (the cron's progress; without it the run counts as done when it
        returns, and the trigger brings the next one)
    :param on_batch: optional function called with (items, seconds) after
        each committed batch
    """
    commit = commits(env)
    key = (env.cr.dbname, cron_xmlid)
    end = env.context.get("cron_end_time")

    def stop():
        """Leave the rest to a new run of the scheduled action."""
        env.ref(cron_xmlid)._trigger()
        env["ir.cron"]._commit_progress(remaining=remaining() if remaining else None)

    # The runner calls a job again while its time lasts (and at least ten
    # times): do not start a batch that would overrun the run, but run one
    # in a new run whatever the time left (progress, never an idle loop).
    if (
        commit
        and end
        and LAST_RUN_END.get(key) == end
        and end - time.monotonic() < TIME_MARGIN * LAST_BATCH_SECONDS.get(key, 0.0)
    ):
        stop()
        return 0
    done = retries = 0
    while True:
        size = batch_size() if callable(batch_size) else batch_size
        started = time.monotonic()
        try:
            count = batch(size)
            env.flush_all()
        except conflicts:
            if not commit or retries >= MAX_RETRIES:
                raise
            env.cr.rollback()
            retries += 1
            time.sleep(random.uniform(0.05, 0.2) * retries)
            continue
        retries = 0
        done += count
        time_left = float("inf")
        if commit:
            time_left = env["ir.cron"]._commit_progress(
                count, remaining=remaining() if remaining else None
            )
        elapsed = time.monotonic() - started
        if count:
            LAST_BATCH_SECONDS[key] = elapsed
            LAST_RUN_END[key] = end
            if on_batch:
                on_batch(count, elapsed)
        if count < size:
            return done
        if time_left < TIME_MARGIN * elapsed:
            _logger.info("%s: %s done, the rest in a new run", cron_xmlid, done)
            stop()
            return done
