"""report.html: the class at a glance, one self-contained page (inline SVG, no network)."""

from __future__ import annotations

import collections
import html

from grader.channel import Status, TopicStatus
from grader.manifest import Topic
from grader.results import SubmissionResult

BINS = 10


def histogram_svg(scores: list[float], maximum: float, width: int = 320,
                  height: int = 120) -> str:
    """Bars of how many students scored in each tenth of ``maximum``."""
    counts = [0] * BINS
    for score in scores:
        index = min(BINS - 1, int(BINS * score / maximum)) if maximum else 0
        counts[index] += 1
    tallest = max(counts) or 1
    bar_width = width / BINS
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 20}" '
             f'role="img" aria-label="score histogram">']
    for index, count in enumerate(counts):
        h = (height - 10) * count / tallest
        x = index * bar_width
        parts.append(f'<rect x="{x + 1:.1f}" y="{height - h:.1f}" width="{bar_width - 2:.1f}" '
                     f'height="{h:.1f}" fill="#4a7bd0"><title>{count} students scored '
                     f'{index * 10}-{index * 10 + 10}%</title></rect>')
        if count:
            parts.append(f'<text x="{x + bar_width / 2:.1f}" y="{height - h - 2:.1f}" '
                         f'font-size="10" text-anchor="middle">{count}</text>')
        parts.append(f'<text x="{x + bar_width / 2:.1f}" y="{height + 14}" font-size="9" '
                     f'text-anchor="middle">{index * 10}%</text>')
    parts.append("</svg>")
    return "".join(parts)


def topic_rows(results: list[SubmissionResult], topic: Topic) -> list[str]:
    """The section of one topic: how many completed, a histogram, the commonest failures."""
    esc = html.escape
    rows = []
    scores, failures = [], collections.Counter()
    for result in results:
        for outcome in result.topics:
            if outcome.topic != topic.name:
                continue
            scores.append(outcome.score)
            if outcome.status != TopicStatus.GRADED:
                failures[(outcome.status, outcome.message.split(":")[0])] += 1
            for test in outcome.tests:
                if test.status != Status.PASSED:
                    failures[(test.name, test.message[:160])] += 1
    complete = sum(s >= topic.points - 1e-9 for s in scores)
    rows.append(f"<h2>{topic.number}. {esc(topic.name)} - {esc(topic.title)}</h2>")
    rows.append(f"<p>{complete} of {len(scores)} complete; mean "
                f"{(sum(scores) / len(scores)) if scores else 0:.1f} / {topic.points:g}</p>")
    rows.append(histogram_svg(scores, topic.points))
    if failures:
        rows.append("<table><tr><th>students</th><th>failing test</th><th>message</th></tr>")
        for (name, message), count in failures.most_common(8):
            rows.append(f"<tr><td>{count}</td><td><code>{esc(name)}</code></td>"
                        f"<td>{esc(message)}</td></tr>")
        rows.append("</table>")
    return rows


def render(results: list[SubmissionResult], topics: list[Topic],
           title: str = "Class report") -> str:
    """The whole page."""
    esc = html.escape
    rows = [f"<h1>{esc(title)}</h1>",
            f"<p>{len(results)} submissions graded.</p>"]
    if results:
        totals = [r.score for r in results]
        maximum = results[0].max_score
        rows.append(f"<h2>Total</h2><p>mean {sum(totals) / len(totals):.1f} / {maximum:g}</p>")
        rows.append(histogram_svg(totals, maximum))
    for topic in topics:
        rows.extend(topic_rows(results, topic))
    style = ("body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}"
             "table{border-collapse:collapse;font-size:.9em}td,th{border:1px solid #ccc;"
             "padding:.2em .5em;text-align:left;vertical-align:top}")
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{esc(title)}</title><style>{style}</style></head><body>"
            + "\n".join(rows) + "</body></html>\n")
