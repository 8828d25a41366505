import math
import random
from datetime import datetime, timedelta

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..models.insight_statistics import (
    benjamini_hochberg,
    expected_count,
    find_rises,
    poisson_sf,
)
from .common import ComplaintCase

WEEKS = 3
HISTORY = 52 + WEEKS


def _poisson(rng, lam):
    """Knuth's Poisson draw (the standard library has none)."""
    limit, k, product = math.exp(-lam), 0, 1.0
    while True:
        product *= rng.random()
        if product <= limit:
            return k
        k += 1


def _noise(rng, lam, weeks=HISTORY):
    return {week: _poisson(rng, lam) for week in range(weeks)}


@tagged("post_install", "-at_install")
class TestHarmSignalStatistics(ComplaintCase):
    """The statistics of the weekly job, on weekly counts (no database)."""

    def test_poisson_tail_by_hand(self):
        # P(X >= 1 | 1) = 1 - e^-1; P(X >= 2 | 1) = 1 - 2/e
        self.assertAlmostEqual(poisson_sf(1, 1.0), 1 - math.exp(-1), places=12)
        self.assertAlmostEqual(poisson_sf(2, 1.0), 1 - 2 * math.exp(-1), places=12)
        self.assertEqual(poisson_sf(0, 3.0), 1.0)
        # P(X >= 12 | 6) = 0.020092 (R: ppois(11, 6, lower.tail = FALSE))
        self.assertAlmostEqual(poisson_sf(12, 6.0), 0.020092, places=6)
        # far tail summed exactly, not 1 - (1 - tiny)
        self.assertAlmostEqual(
            poisson_sf(60, 10.0) / (math.exp(-10) * 10**60 / math.factorial(60)),
            1.2,
            delta=0.05,
        )

    def test_benjamini_hochberg_by_hand(self):
        # sorted 0.01, 0.03, 0.04, 0.5 (m = 4): 0.04, 0.06, 0.0533, 0.5 then
        # the step-up minimum from the top: 0.04, 0.0533, 0.0533, 0.5
        adjusted = benjamini_hochberg([0.01, 0.04, 0.03, 0.5])
        for value, expected in zip(
            adjusted, [0.04, 0.16 / 3, 0.16 / 3, 0.5], strict=True
        ):
            self.assertAlmostEqual(value, expected, places=12)

    def test_expected_count_trend_and_season(self):
        flat = dict.fromkeys(range(HISTORY), 10)
        self.assertAlmostEqual(expected_count(flat, WEEKS), 30.0)
        # the same weeks last year were busy: the season wins over the trend
        seasonal = {**flat, 52: 20, 53: 20, 54: 20}
        self.assertAlmostEqual(expected_count(seasonal, WEEKS), 60.0)
        # a young database: the mean of the weeks it has, no season
        young = {week: 4 for week in range(WEEKS + 10)}
        self.assertAlmostEqual(expected_count(young, WEEKS, 10), 12.0)

    def test_planted_rise_is_flagged(self):
        """Twice the baseline (10 a week) in one category for three weeks."""
        series = {"quiet": dict.fromkeys(range(HISTORY), 10)}
        risen = dict.fromkeys(range(HISTORY), 10)
        risen.update({0: 20, 1: 20, 2: 20})
        series["risen"] = risen
        rises = find_rises(series, WEEKS)
        self.assertEqual([rise["key"] for rise in rises], ["risen"])
        self.assertEqual(rises[0]["observed"], 60)
        self.assertAlmostEqual(rises[0]["expected"], 30.0)
        self.assertLess(rises[0]["p_value"], 1e-5)
        # the same data without the rise: nothing
        self.assertFalse(find_rises({"risen": dict.fromkeys(range(HISTORY), 10)}, 3))

    def test_planted_rise_among_noise(self):
        rng = random.Random(7)
        series = {f"control {n}": _noise(rng, 10) for n in range(50)}
        risen = _noise(rng, 10)
        risen.update({0: 20, 1: 20, 2: 20})
        series["risen"] = risen
        self.assertEqual([rise["key"] for rise in find_rises(series, WEEKS)], ["risen"])

    def test_false_positive_rate_over_seeded_runs(self):
        """50 control categories of pure Poisson noise, 20 seeded runs. With
        the Benjamini-Hochberg correction at 5 % the chance that a run
        raises any signal is at most 5 % when nothing happens (the FDR equals
        the family-wise error rate under the global null; the discrete
        Poisson test is conservative): about 1 run in 20 at most."""
        runs_with_signal = 0
        for seed in range(20):
            rng = random.Random(seed)
            series = {n: _noise(rng, 5) for n in range(50)}
            runs_with_signal += bool(find_rises(series, WEEKS))
        self.assertLessEqual(runs_with_signal, 1)


@tagged("post_install", "-at_install")
class TestHarmSignalJob(ComplaintCase):
    """The weekly job on complaints in the database."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.now = datetime(2027, 3, 1, 12, 0)
        cls.env.cr.execute("UPDATE complaint_complaint SET active = FALSE")
        cls.env.invalidate_all()
        # one complaint a week for a year, then six a week for three weeks
        vals = []
        for week in range(WEEKS, HISTORY):
            vals.append(cls.now - timedelta(weeks=week, hours=30))
        for week in range(WEEKS):
            vals += [cls.now - timedelta(weeks=week, hours=30 + h) for h in range(6)]
        cls.complaints = cls.env["complaint.complaint"].create(
            [
                {
                    "name": f"Late parcel {n}",
                    "category_id": cls.category_x.id,
                    "channel_id": cls.channel_phone.id,
                    "date_received": received,
                }
                for n, received in enumerate(vals)
            ]
        )

    def test_rise_signalled_once_with_activity(self):
        Signal = self.env["complaint.harm.signal"]
        signals = Signal._cron_detect(now=self.now)
        category = signals.filtered(lambda s: s.dimension == "category")
        self.assertEqual(len(category), 1)
        self.assertEqual(category.category_id, self.category_x)
        self.assertEqual(category.observed, 18)
        self.assertAlmostEqual(category.expected, 3.0)
        self.assertAlmostEqual(category.p_value, poisson_sf(18, 3.0), places=10)
        self.assertEqual(category.weeks, WEEKS)
        self.assertEqual(category.state, "new")
        self.assertIn(
            self.manager, category.activity_ids.user_id, "the manager reviews it"
        )
        # a week later the window overlaps: not raised twice
        again = Signal._cron_detect(now=self.now + timedelta(days=7))
        self.assertFalse(again.filtered(lambda s: s.category_id == self.category_x))

    def test_no_signal_without_rise(self):
        risen = self.complaints.filtered(
            lambda c: c.date_received > self.now - timedelta(weeks=WEEKS)
        )
        self.assertEqual(len(risen), 18)
        # keep the baseline's one a week: the others leave the data
        keep = {c.date_received.isocalendar()[:2]: c.id for c in risen}
        self.env.cr.execute(
            "UPDATE complaint_complaint SET active = FALSE WHERE id = ANY(%s)",
            [list(set(risen.ids) - set(keep.values()))],
        )
        self.env.invalidate_all()
        self.assertFalse(self.env["complaint.harm.signal"]._cron_detect(now=self.now))

    def test_one_query_per_dimension(self):
        Signal = self.env["complaint.harm.signal"]
        Signal._cron_detect(now=self.now)  # warm the caches
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=8):
            Signal._cron_detect(now=self.now)

    def test_create_issue_and_dismiss(self):
        signals = self.env["complaint.harm.signal"]._cron_detect(now=self.now)
        category = signals.filtered(lambda s: s.dimension == "category")
        channel = signals.filtered(lambda s: s.dimension == "channel")
        Signal = self.env["complaint.harm.signal"].with_user(self.manager)
        category = Signal.browse(category.id)
        category.action_create_issue()
        issue = category.systemic_issue_id
        self.assertEqual(category.state, "issue")
        self.assertEqual(len(issue.complaint_ids), 18)
        self.assertFalse(category.activity_ids, "the activity is done")
        channel = Signal.browse(channel.id)
        with self.assertRaises(UserError):
            channel.action_dismiss()
        channel.dismiss_reason = "Same rise as the category signal."
        channel.action_dismiss()
        self.assertEqual(channel.state, "dismissed")
