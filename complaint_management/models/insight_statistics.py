"""Exact tests the improvement loop relies on, with the standard library only
(no scipy): a reviewer can check every figure with a pocket calculator or R.

- ``poisson_sf``: P(X >= k) for X ~ Poisson(mu), summed exactly in log space.
- ``benjamini_hochberg``: adjusted q-values (step-up false-discovery rate).
- ``rate_ratio_ci``: rate ratio after/before with the exact conditional
  binomial (Clopper-Pearson) 95 % confidence interval.
- ``two_proportion_test``: two-sided z-test of two proportions (pooled).
"""

import math

Z_95 = 1.959963984540054


def _poisson_log_pmf(i, mu):
    return -mu + i * math.log(mu) - math.lgamma(i + 1)


def poisson_sf(k, mu):
    """P(X >= k) for X ~ Poisson(mu): the one-sided p-value of observing
    ``k`` or more events when ``mu`` were expected."""
    if k <= 0:
        return 1.0
    if mu <= 0:
        return 0.0
    if k > mu:
        # upper tail: terms decrease from k on, sum until negligible
        total, i = 0.0, k
        while True:
            term = math.exp(_poisson_log_pmf(i, mu))
            total += term
            if term < total * 1e-17 or term == 0.0:
                break
            i += 1
        return min(1.0, total)
    # lower tail is the smaller sum: 1 - P(X <= k - 1)
    lower = math.fsum(math.exp(_poisson_log_pmf(i, mu)) for i in range(k))
    return max(0.0, 1.0 - lower)


def benjamini_hochberg(p_values):
    """Benjamini-Hochberg adjusted p-values (q-values), in the given order.
    A comparison is significant at false-discovery rate ``alpha`` when its
    q-value is <= alpha."""
    m = len(p_values)
    order = sorted(range(m), key=lambda index: p_values[index])
    adjusted = [1.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        index = order[rank - 1]
        running = min(running, p_values[index] * m / rank)
        adjusted[index] = min(1.0, running)
    return adjusted


def _binom_cdf(a, n, p):
    """P(X <= a) for X ~ Binomial(n, p)."""
    if p <= 0.0:
        return 1.0
    if p >= 1.0:
        return 1.0 if a >= n else 0.0
    log_p, log_q = math.log(p), math.log1p(-p)
    return min(
        1.0,
        math.fsum(
            math.exp(
                math.lgamma(n + 1)
                - math.lgamma(i + 1)
                - math.lgamma(n - i + 1)
                + i * log_p
                + (n - i) * log_q
            )
            for i in range(a + 1)
        ),
    )


def _bisect(function, target, decreasing=True):
    """p in [0, 1] where the monotone ``function`` equals ``target``."""
    low, high = 0.0, 1.0
    for _step in range(200):
        middle = (low + high) / 2
        value = function(middle)
        if (value > target) == decreasing:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def clopper_pearson(a, n, alpha=0.05):
    """Exact (Clopper-Pearson) confidence interval of a binomial proportion."""
    lower = (
        0.0
        if a == 0
        else _bisect(lambda p: 1.0 - _binom_cdf(a - 1, n, p), alpha / 2, False)
    )
    upper = 1.0 if a == n else _bisect(lambda p: _binom_cdf(a, n, p), alpha / 2)
    return lower, upper


def rate_ratio_ci(after, exposure_after, before, exposure_before, alpha=0.05):
    """(ratio, lower, upper) of the rate after / the rate before.

    Exact conditional method: given n = after + before events, ``after`` is
    binomial with p = r T_a / (r T_a + T_b) where r is the rate ratio; the
    Clopper-Pearson interval of p is turned into one for r. Works with zero
    counts (an upper bound when nothing happened after). None when there is
    no event at all or no exposure."""
    n = after + before
    if not n or exposure_after <= 0 or exposure_before <= 0:
        return None
    scale = exposure_before / exposure_after
    ratio = (after / exposure_after) / (before / exposure_before) if before else None
    low_p, high_p = clopper_pearson(after, n, alpha)
    lower = low_p / (1.0 - low_p) * scale
    upper = high_p / (1.0 - high_p) * scale if high_p < 1.0 else math.inf
    return ratio, lower, upper


def two_proportion_test(hits_a, n_a, hits_b, n_b):
    """Two-sided p-value of the pooled two-proportion z-test (None when a
    group is empty or the pooled share is 0 or 1)."""
    if not n_a or not n_b:
        return None
    pooled = (hits_a + hits_b) / (n_a + n_b)
    if pooled in (0.0, 1.0):
        return None
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    z = (hits_a / n_a - hits_b / n_b) / se
    return math.erfc(abs(z) / math.sqrt(2))


# Emerging-harm signals ------------------------------------------------------
BASELINE_WEEKS = 52
MIN_OBSERVED = 5
MIN_EXPECTED = 0.5


def expected_count(weekly, weeks, baseline_weeks=BASELINE_WEEKS):
    """Expected complaints in the latest ``weeks`` weeks of one value from its
    own history (``weekly``: {week index: count}, week 0 the latest): the
    larger of the mean of the ``baseline_weeks`` weeks before (52, fewer
    when the history is shorter) times ``weeks`` (the trend) and, with a
    full year of history, the count in the same weeks a year before (the
    season); at least ``MIN_EXPECTED``."""
    baseline = sum(weekly.get(week, 0) for week in range(weeks, weeks + baseline_weeks))
    trend = baseline * weeks / baseline_weeks
    season = 0
    if baseline_weeks >= BASELINE_WEEKS:
        season = sum(
            weekly.get(week, 0)
            for week in range(BASELINE_WEEKS, BASELINE_WEEKS + weeks)
        )
    return max(trend, season, MIN_EXPECTED)


def find_rises(series, weeks, alpha=0.05, baseline_weeks=None):
    """Significant rises among ``series`` ({key: {week index: count}}):
    for each key the latest ``weeks`` weeks against ``expected_count``, exact
    one-sided Poisson test, Benjamini-Hochberg over every key of the run.
    ``baseline_weeks``: {key: weeks of history before the latest weeks}
    (default 52 for every key). Returns [{key, observed, expected, p_value,
    q_value}] for the keys significant at false-discovery rate ``alpha``
    (and seen at least ``MIN_OBSERVED`` times)."""
    baseline_weeks = baseline_weeks or {}
    tests = []
    for key, weekly in series.items():
        observed = sum(weekly.get(week, 0) for week in range(weeks))
        expected = expected_count(
            weekly, weeks, baseline_weeks.get(key, BASELINE_WEEKS)
        )
        tests.append((key, observed, expected, poisson_sf(observed, expected)))
    q_values = benjamini_hochberg([test[3] for test in tests])
    return [
        {
            "key": key,
            "observed": observed,
            "expected": expected,
            "p_value": p_value,
            "q_value": q_value,
        }
        for (key, observed, expected, p_value), q_value in zip(
            tests, q_values, strict=True
        )
        if q_value <= alpha and observed >= MIN_OBSERVED and observed > expected
    ]
