"""report.html: what a class missed, who needs a look, one offline page.

Stage four's page for the instructor (grader.batch writes it with the other
exports). It answers, top to bottom: which ideas of the lecture the class
missed (each test names one, grader.concepts; the ranking counts the
students who tried a topic and failed a test of that idea); every student's
points, sortable and filterable, each linking to their feedback; the
failures grouped by test and by mistake (numbers in messages set aside);
what needs a human (tampering, forged lines, time limits, refused files).
Inline CSS, SVG and a little JavaScript: no network, prints on paper.
"""

from __future__ import annotations

import collections
import dataclasses
import html
import re
from typing import Callable

from grader import concepts
from grader.channel import Status, TopicStatus
from grader.manifest import Topic
from grader.results import SubmissionResult, TopicOutcome

BINS = 10
SHOWN_NAMES = 12          # students named beside a group before "and N more"
esc = html.escape


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


def mistake_of(message: str) -> str:
    """A learner message with its numbers set aside: one mistake, whatever it measured."""
    return re.sub(r"\d+(\.\d+)?", "#", message)[:300]


def attempted(outcome: TopicOutcome) -> bool:
    """Whether the student tried the topic: at least one of its tests passed."""
    return any(t.status == Status.PASSED for t in outcome.tests)


@dataclasses.dataclass
class Concept:
    """One idea of the lecture and the students who missed it."""

    topic: Topic
    key: str
    text: str
    tried: int = 0
    missed: list[str] = dataclasses.field(default_factory=list)
    messages: collections.Counter = dataclasses.field(default_factory=collections.Counter)

    @property
    def share(self) -> float:
        """The share of the students who tried the topic and missed this idea."""
        return len(self.missed) / self.tried if self.tried else 0.0


def concept_ranking(results: list[SubmissionResult], topics: list[Topic]) -> list[Concept]:
    """Every concept with the students who tried its topic and failed one of its tests."""
    found = {(t.name, key): Concept(t, key, text) for t in topics for key, text in t.concepts}
    by_name = {t.name: t for t in topics}
    for result in results:
        for outcome in result.topics:
            topic = by_name.get(outcome.topic)
            if topic is None or not attempted(outcome):
                continue
            missed: dict[str, str] = {}
            for test in outcome.tests:
                key = concepts.concept_of(topic, test.name)
                if key is not None and test.status != Status.PASSED:
                    missed.setdefault(key, test.message)
            for key, _ in topic.concepts:
                concept = found[(topic.name, key)]
                concept.tried += 1
                if key in missed:
                    concept.missed.append(result.submission)
                    concept.messages[missed[key]] += 1
    return sorted(found.values(), key=lambda c: (-c.share, -len(c.missed), c.topic.number))


def _names(students: list[str]) -> str:
    shown = ", ".join(esc(s) for s in students[:SHOWN_NAMES])
    more = len(students) - SHOWN_NAMES
    return shown + (f" and {more} more" if more > 0 else "")


def concepts_section(results: list[SubmissionResult], topics: list[Topic]) -> list[str]:
    """The first screen: the ideas the class missed, most missed first."""
    ranking = [c for c in concept_ranking(results, topics) if c.tried]
    rows = ['<section id="concepts"><h2>What the class missed</h2>',
            "<p>Each test checks one idea of the lecture. A student missed an idea when "
            "they tried its topic (passed at least one of its tests) and failed a test "
            "of that idea.</p>"]
    if not ranking:
        return rows + ["<p>No topic was tried yet.</p></section>"]
    missed = [c for c in ranking if c.missed]
    nobody = [c for c in ranking if not c.missed]
    if missed:
        rows += _concept_table(missed)
    else:
        rows.append("<p>Nobody missed any idea: every student who tried a topic passed it.</p>")
    if nobody:
        rows.append(f"<details><summary>{len(nobody)} ideas nobody missed</summary>")
        rows += _concept_table(nobody)
        rows.append("</details>")
    rows.append("</section>")
    return rows


def _concept_table(ranking: list[Concept]) -> list[str]:
    rows = ['<table class="concepts"><thead><tr><th>missed by</th><th>idea</th>'
            "<th>topic and lecture section</th><th>what students were told</th>"
            "</tr></thead><tbody>"]
    for concept in ranking:
        told = concept.messages.most_common(1)[0][0] if concept.messages else ""
        rows.append(
            f'<tr class="concept" data-key="{esc(concept.key)}" '
            f'data-share="{concept.share:.4f}"><td><span class="bar" style="width:'
            f'{100 * concept.share:.0f}%"></span>{len(concept.missed)} of {concept.tried} '
            f"({100 * concept.share:.0f}%)</td><td><b>{esc(concept.text)}</b>"
            f"<br><small>{_names(concept.missed)}</small></td>"
            f"<td>{concept.topic.number}. {esc(concept.topic.title)}<br><small>lecture: "
            f"{esc(concept.topic.lecture)}</small></td><td>{esc(told[:300])}</td></tr>")
    rows.append("</tbody></table>")
    return rows


def students_section(results: list[SubmissionResult], topics: list[Topic],
                     link: Callable[[str], str] | None,
                     review: list[tuple[str, str, str]]) -> list[str]:
    """A row per student: points per topic, total, items to review; sortable, filterable."""
    rows = ['<section id="students"><h2>Students</h2>',
            '<p><input id="filter" type="search" placeholder="filter students" '
            'aria-label="filter students"> <span id="shown"></span> '
            "<small>Click a column to sort.</small></p>",
            '<table id="students-table"><thead><tr><th data-type="text">student</th>']
    rows += [f'<th data-type="number" title="{esc(t.title)}">{t.number}. {esc(t.name)}</th>'
             for t in topics]
    rows.append('<th data-type="number">total</th><th data-type="number" title="items in '
                '&quot;needs a human&quot;">to review</th></tr></thead><tbody>')
    to_review = collections.Counter(student for student, _, _ in review)
    rows += [_student_row(result, topics, link, to_review[result.submission])
             for result in sorted(results, key=lambda r: r.submission)]
    rows.append("</tbody></table></section>")
    return rows


def _student_row(result: SubmissionResult, topics: list[Topic],
                 link: Callable[[str], str] | None, to_review: int) -> str:
    scores = {t.topic: t for t in result.topics}
    name = esc(result.submission)
    if link is not None:
        folder = esc(link(result.submission))
        name = (f'<a href="{folder}/feedback.md">{name}</a> '
                f'<small><a href="{folder}/results.json">json</a></small>')
    cells = []
    for topic in topics:
        outcome = scores.get(topic.name)
        score = outcome.score if outcome else 0.0
        status = outcome.status if outcome else TopicStatus.MISSING
        mark = "" if status == TopicStatus.GRADED else f" <small>{esc(status)}</small>"
        cells.append(f'<td data-value="{score:g}">{score:g}{mark}</td>')
    return (f'<tr data-student="{esc(result.submission)}"><td data-value='
            f'"{esc(result.submission)}">{name}</td>{"".join(cells)}'
            f'<td data-value="{result.score:g}"><b>{result.score:g}</b>/'
            f'{result.max_score:g}</td><td data-value="{to_review}">{to_review or ""}</td></tr>')


def failures_section(results: list[SubmissionResult], topic: Topic) -> list[str]:
    """One topic: how many completed, a histogram, its failures grouped by test and mistake."""
    scores = []
    groups: dict[tuple[str, str], list[tuple[str, str]]] = collections.defaultdict(list)
    for result in results:
        for outcome in result.topics:
            if outcome.topic != topic.name:
                continue
            scores.append(outcome.score)
            if outcome.status != TopicStatus.GRADED:
                groups[(f"({outcome.status})", mistake_of(outcome.message))].append(
                    (result.submission, outcome.message))
                continue
            for test in outcome.tests:
                if test.status != Status.PASSED:
                    groups[(test.name, mistake_of(test.message))].append(
                        (result.submission, test.message))
    complete = sum(s >= topic.points - 1e-9 for s in scores)
    rows = [f'<section class="topic"><h2>{topic.number}. {esc(topic.name)} - '
            f"{esc(topic.title)}</h2>",
            f"<p>{complete} of {len(scores)} complete; mean "
            f"{(sum(scores) / len(scores)) if scores else 0:.1f} / {topic.points:g}. "
            f"Lecture: {esc(topic.lecture)}.</p>", histogram_svg(scores, topic.points)]
    if groups:
        known = dict(topic.concepts)
        rows.append('<table class="failures"><thead><tr><th>students</th><th>test and idea'
                    "</th><th>mistake (one student's message)</th></tr></thead><tbody>")
        for (test, _), members in sorted(groups.items(), key=lambda g: (-len(g[1]), g[0])):
            key = concepts.concept_of(topic, test)
            idea = f"<br><small>{esc(known.get(key, ''))}</small>" if key else ""
            rows.append(f'<tr class="failure"><td>{len(members)}</td><td><code>{esc(test)}'
                        f"</code>{idea}</td><td>{esc(members[0][1][:300])}<br><small>"
                        f"{_names([m[0] for m in members])}</small></td></tr>")
        rows.append("</tbody></table>")
    rows.append("</section>")
    return rows


def review_items(results: list[SubmissionResult]) -> tuple[list[tuple[str, str, str]], list[str]]:
    """What needs a human, per student; and the grader's notes that every student shares."""
    counts = collections.Counter(n for r in results for n in set(r.notes))
    shared = sorted(n for n, c in counts.items() if len(results) >= 3 and c == len(results))
    items = []
    for result in sorted(results, key=lambda r: r.submission):
        for flag in result.flags:
            items.append((result.submission, "flag", flag))
        for note in result.notes:
            if note not in shared:
                items.append((result.submission, "note", note))
        for outcome in result.topics:
            if outcome.status in (TopicStatus.TIMEOUT, TopicStatus.ERROR):
                items.append((result.submission, str(outcome.status),
                              f"{outcome.topic}: {outcome.message}"))
    return items, shared


def review_section(items: list[tuple[str, str, str]], shared: list[str]) -> list[str]:
    """Every flag, note, time limit and refusal, with its student (``review_items``)."""
    rows = ['<section id="review"><h2>Needs a human</h2>']
    if not items:
        rows.append("<p>Nothing: no flag, no tampering, no time limit, no refused file.</p>")
    else:
        rows.append('<table id="review-table"><thead><tr><th>student</th><th>what</th>'
                    "<th>detail</th></tr></thead><tbody>")
        rows += [f'<tr class="review"><td>{esc(student)}</td><td>{esc(kind)}</td>'
                 f"<td>{esc(text[:400])}</td></tr>" for student, kind, text in items]
        rows.append("</tbody></table>")
    if shared:
        rows.append("<p><small>The grader's notes on every submission: "
                    + "; ".join(esc(n) for n in shared) + "</small></p>")
    rows.append("</section>")
    return rows


STYLE = (
    "body{font-family:sans-serif;max-width:75em;margin:2em auto;padding:0 1em;color:#222}"
    "table{border-collapse:collapse;font-size:.9em;margin-bottom:1em}"
    "td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}"
    "th[data-type]{cursor:pointer;background:#f3f5f9}th[aria-sort=ascending]::after"
    "{content:' \\25B2'}th[aria-sort=descending]::after{content:' \\25BC'}"
    ".concepts td:first-child{position:relative;min-width:9em;white-space:nowrap}"
    ".bar{position:absolute;left:0;bottom:0;height:.3em;background:#d0584a}"
    "small{color:#555}nav a{margin-right:1em}"
    "@media print{input,nav{display:none}section{break-inside:avoid-page}}")

# Sorting and filtering of the students table; a #sort=<column>&dir=desc&filter=x
# address opens the page sorted and filtered (and is how the browser test asks).
SCRIPT = """
(function () {
  var table = document.getElementById('students-table');
  if (!table) return;
  var body = table.tBodies[0], heads = table.tHead.rows[0].cells;
  var input = document.getElementById('filter'), shown = document.getElementById('shown');
  function value(row, i, type) {
    var v = row.cells[i].getAttribute('data-value');
    return type === 'number' ? parseFloat(v) : v.toLowerCase();
  }
  function sortBy(i, descending) {
    var type = heads[i].getAttribute('data-type');
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = value(a, i, type), y = value(b, i, type);
      var order = x < y ? -1 : x > y ? 1 : 0;
      return descending ? -order : order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    for (var j = 0; j < heads.length; j++) heads[j].removeAttribute('aria-sort');
    heads[i].setAttribute('aria-sort', descending ? 'descending' : 'ascending');
  }
  function filter(text) {
    var count = 0;
    text = text.toLowerCase();
    Array.prototype.forEach.call(body.rows, function (row) {
      var hit = row.getAttribute('data-student').toLowerCase().indexOf(text) >= 0;
      row.style.display = hit ? '' : 'none';
      if (hit) count++;
    });
    shown.textContent = count + ' of ' + body.rows.length + ' shown';
  }
  Array.prototype.forEach.call(heads, function (head, i) {
    head.addEventListener('click', function () {
      sortBy(i, head.getAttribute('aria-sort') === 'ascending');
    });
  });
  input.addEventListener('input', function () { filter(input.value); });
  var asked = {};
  location.hash.replace(/^#/, '').split('&').forEach(function (part) {
    var pair = part.split('=');
    if (pair[0]) asked[pair[0]] = decodeURIComponent(pair[1] || '');
  });
  if (asked.sort) {
    for (var i = 0; i < heads.length; i++) {
      if (heads[i].textContent.replace(/^\\d+\\. /, '') === asked.sort) {
        sortBy(i, asked.dir === 'desc');
      }
    }
  }
  if (asked.filter) input.value = asked.filter;
  filter(input.value);
})();
"""


def render(results: list[SubmissionResult], topics: list[Topic], title: str = "Class report",
           link: Callable[[str], str] | None = None) -> str:
    """The whole page; ``link`` names each student's folder of feedback files, if any."""
    rows = [f"<h1>{esc(title)}</h1>",
            '<nav><a href="#concepts">what the class missed</a><a href="#students">students'
            '</a><a href="#failures">failures by topic</a><a href="#review">needs a human'
            "</a></nav>", f"<p>{len(results)} submissions graded.</p>"]
    if results:
        totals = [r.score for r in results]
        maximum = results[0].max_score
        rows.append(f"<p>Total: mean {sum(totals) / len(totals):.1f} / {maximum:g}</p>")
        rows.append(histogram_svg(totals, maximum))
    rows += concepts_section(results, topics)
    review, shared = review_items(results)
    rows += students_section(results, topics, link, review)
    rows.append('<div id="failures"></div>')
    for topic in topics:
        rows += failures_section(results, topic)
    rows += review_section(review, shared)
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width">'
            f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>"
            + "\n".join(rows) + f"<script>{SCRIPT}</script></body></html>\n")
