//! Long lists, one way: a filter box, sortable columns and pages of [`PAGE_SIZE`] rows,
//! all in the query string so they work without JavaScript, can be bookmarked and are
//! read by a screen reader (`aria-sort` on the sorted column, a labelled page
//! navigation). Text sorts in Swedish order ([`trappa_i18n::collate`]).
//!
//! A page reads [`ListParams`] from its query, filters its rows with
//! [`ListParams::matches`], sorts them with [`sort`], cuts a page with [`paginate`] and
//! renders [`filter_form`], [`sort_header`] and [`pager`].

use std::cmp::Ordering;

use maud::{Markup, html};
use serde::Deserialize;

use crate::ctx::Ctx;
use crate::i18n::{W, fill};

/// Rows on one page of a list.
pub const PAGE_SIZE: usize = 25;

/// The longest filter text read (a name or an identity number).
pub const MAX_FILTER_CHARS: usize = 100;

/// A list's place in the query string: `q` (filter text), `sort` (a column key the page
/// names), `ordning` (`fallande` for descending) and `sida` (1, 2, …). Anything that
/// does not parse falls back to the default: a list is never refused.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ListParams {
    /// The filter text.
    pub q: String,
    /// The sort column's key.
    pub sort: String,
    /// `fallande` for descending; anything else ascending.
    pub ordning: String,
    /// The page, from 1.
    pub sida: String,
}

impl ListParams {
    /// The filter's words, lower-cased (at most [`MAX_FILTER_CHARS`] characters read).
    fn words(&self) -> Vec<String> {
        self.q
            .chars()
            .take(MAX_FILTER_CHARS)
            .collect::<String>()
            .split_whitespace()
            .map(str::to_lowercase)
            .collect()
    }

    /// Whether a row whose searchable texts are `fields` passes the filter: every word
    /// is found in one of them (case-insensitive; digits also without a hyphen, so
    /// "19550314" finds "19550314-1234").
    pub fn matches(&self, fields: &[&str]) -> bool {
        let words = self.words();
        if words.is_empty() {
            return true;
        }
        let haystacks: Vec<String> = fields
            .iter()
            .flat_map(|f| {
                let lower = f.to_lowercase();
                let digits: String = lower.chars().filter(|c| *c != '-' && *c != ' ').collect();
                [lower, digits]
            })
            .collect();
        words.iter().all(|w| {
            let w_digits: String = w.chars().filter(|c| *c != '-').collect();
            haystacks
                .iter()
                .any(|h| h.contains(w.as_str()) || h.contains(w_digits.as_str()))
        })
    }

    /// The sort column: the asked-for key if the page offers it, else `default`.
    pub fn sort_key(&self, offered: &[&'static str], default: &'static str) -> &'static str {
        offered
            .iter()
            .copied()
            .find(|k| *k == self.sort)
            .unwrap_or(default)
    }

    /// Descending order asked for.
    pub fn descending(&self) -> bool {
        self.ordning == "fallande"
    }

    /// The page asked for, from 1 (1 when missing or not a number).
    pub fn page(&self) -> usize {
        self.sida
            .parse::<usize>()
            .ok()
            .filter(|p| *p >= 1)
            .unwrap_or(1)
    }

    /// The query string for these parameters with `changes` applied (an empty value
    /// drops the pair), keeping the page's own `extra` pairs (filters of its own).
    pub fn href(&self, path: &str, extra: &[(&str, &str)], changes: &[(&str, &str)]) -> String {
        let mut pairs: Vec<(&str, &str)> = vec![
            ("q", self.q.as_str()),
            ("sort", self.sort.as_str()),
            ("ordning", self.ordning.as_str()),
            ("sida", self.sida.as_str()),
        ];
        pairs.extend_from_slice(extra);
        for (k, v) in changes {
            match pairs.iter_mut().find(|(key, _)| key == k) {
                Some(p) => p.1 = v,
                None => pairs.push((k, v)),
            }
        }
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
            out.append_pair(k, v);
        }
        let query = out.finish();
        if query.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{query}")
        }
    }
}

/// A value a column sorts by: text in Swedish order, or a number or a date as itself.
#[derive(Debug, Clone, PartialEq)]
pub enum SortValue {
    /// Text (Swedish collation).
    Text(String),
    /// A number, a date as days or a time as seconds.
    Number(f64),
}

impl SortValue {
    fn cmp(&self, other: &SortValue) -> Ordering {
        match (self, other) {
            (SortValue::Text(a), SortValue::Text(b)) => trappa_i18n::collate::compare(a, b),
            (SortValue::Number(a), SortValue::Number(b)) => a.total_cmp(b),
            (SortValue::Text(_), SortValue::Number(_)) => Ordering::Greater,
            (SortValue::Number(_), SortValue::Text(_)) => Ordering::Less,
        }
    }
}

/// Sorts rows by the value `key` gives each one (stable: equal rows keep their order).
pub fn sort<T>(rows: &mut [T], descending: bool, key: impl Fn(&T) -> SortValue) {
    rows.sort_by(|a, b| {
        let o = key(a).cmp(&key(b));
        if descending { o.reverse() } else { o }
    });
}

/// One page of a filtered, sorted list.
#[derive(Debug)]
pub struct Paged<T> {
    /// The rows on this page.
    pub rows: Vec<T>,
    /// This page, from 1 (the last page when more was asked for).
    pub page: usize,
    /// How many pages (at least 1).
    pub pages: usize,
    /// Rows in the whole filtered list.
    pub total: usize,
}

/// Cuts page `page` (from 1) out of `rows`.
pub fn paginate<T>(rows: Vec<T>, page: usize) -> Paged<T> {
    let total = rows.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = page.clamp(1, pages);
    let rows = rows
        .into_iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .collect();
    Paged {
        rows,
        page,
        pages,
        total,
    }
}

/// The filter form: a search field labelled `label`, the page's own `controls` (select
/// filters), and the current sort kept. `anchor` is where the list starts on the page.
pub fn filter_form(
    ctx: &Ctx,
    path: &str,
    anchor: &str,
    params: &ListParams,
    label: &str,
    controls: Markup,
) -> Markup {
    let id = format!("{anchor}-q");
    html! {
        form.list-filter role="search" method="get" action={ (path) "#" (anchor) } {
            div.field {
                label for=(id) { (label) }
                input id=(id) type="search" name="q" value=(params.q) maxlength=(MAX_FILTER_CHARS) autocomplete="off";
            }
            (controls)
            @if !params.sort.is_empty() { input type="hidden" name="sort" value=(params.sort); }
            @if !params.ordning.is_empty() { input type="hidden" name="ordning" value=(params.ordning); }
            button.secondary type="submit" { (ctx.t(&W::LIST_FILTER)) }
        }
    }
}

/// A sortable column heading: a link that sorts by `key` (and turns the order round when
/// it already sorts by it), with `aria-sort` on the sorted column.
pub fn sort_header(
    path: &str,
    anchor: &str,
    extra: &[(&str, &str)],
    params: &ListParams,
    current: &str,
    key: &str,
    label: &str,
) -> Markup {
    let sorted = current == key;
    let next = if sorted && !params.descending() {
        "fallande"
    } else {
        ""
    };
    let href = format!(
        "{}#{anchor}",
        params.href(
            path,
            extra,
            &[("sort", key), ("ordning", next), ("sida", "")]
        )
    );
    let aria = sorted.then(|| {
        if params.descending() {
            "descending"
        } else {
            "ascending"
        }
    });
    let mark = match (sorted, params.descending()) {
        (false, _) => "",
        (true, false) => " ▲",
        (true, true) => " ▼",
    };
    html! {
        th scope="col" aria-sort=[aria] {
            a href=(href) { (label) span aria-hidden="true" { (mark) } }
        }
    }
}

/// The page navigation under a list: how many rows, which page, previous and next.
pub fn pager<T>(
    ctx: &Ctx,
    path: &str,
    anchor: &str,
    extra: &[(&str, &str)],
    params: &ListParams,
    paged: &Paged<T>,
) -> Markup {
    let first = (paged.page - 1) * PAGE_SIZE + 1;
    let last = (first + paged.rows.len()).saturating_sub(1);
    let summary = if paged.total == 0 {
        ctx.t(&W::LIST_NONE).to_owned()
    } else {
        fill(
            ctx.t(&W::LIST_SHOWING),
            &[
                ("from", &first.to_string()),
                ("to", &last.to_string()),
                (
                    "total",
                    &trappa_i18n::format::integer(paged.total as i64, ctx.locale),
                ),
            ],
        )
    };
    let link = |p: usize| {
        format!(
            "{}#{anchor}",
            params.href(path, extra, &[("sida", &p.to_string())])
        )
    };
    html! {
        nav.pager aria-label=(ctx.t(&W::LIST_PAGES)) {
            p.muted { (summary) }
            @if paged.pages > 1 {
                ul {
                    @if paged.page > 1 { li { a href=(link(paged.page - 1)) rel="prev" { "← " (ctx.t(&W::LIST_PREV)) } } }
                    li aria-current="page" { (fill(ctx.t(&W::LIST_PAGE_OF), &[("page", &paged.page.to_string()), ("pages", &paged.pages.to_string())])) }
                    @if paged.page < paged.pages { li { a href=(link(paged.page + 1)) rel="next" { (ctx.t(&W::LIST_NEXT)) " →" } } }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(q: &str) -> ListParams {
        ListParams {
            q: q.into(),
            ..Default::default()
        }
    }

    #[test]
    fn every_word_must_be_found_in_some_field() {
        let row = ["Svensson, Ulla", "19550314-1234"];
        assert!(params("").matches(&row));
        assert!(params("ulla").matches(&row));
        assert!(params("ULLA svens").matches(&row));
        assert!(params("195503141234").matches(&row));
        assert!(params("19550314-1234").matches(&row));
        assert!(!params("ulla berg").matches(&row));
    }

    #[test]
    fn pages_are_cut_and_a_page_past_the_end_is_the_last() {
        let rows: Vec<usize> = (0..60).collect();
        let p = paginate(rows.clone(), 2);
        assert_eq!((p.rows[0], p.rows.len(), p.pages, p.total), (25, 25, 3, 60));
        let last = paginate(rows.clone(), 99);
        assert_eq!((last.page, last.rows.len()), (3, 10));
        let none = paginate(Vec::<usize>::new(), 1);
        assert_eq!((none.page, none.pages, none.total), (1, 1, 0));
    }

    #[test]
    fn an_unknown_sort_or_page_falls_back_to_the_default() {
        let p = ListParams {
            sort: "drop table".into(),
            sida: "-3".into(),
            ..Default::default()
        };
        assert_eq!(p.sort_key(&["namn", "datum"], "datum"), "datum");
        assert_eq!(p.page(), 1);
    }

    #[test]
    fn text_sorts_in_swedish_order() {
        let mut rows = vec!["Öberg", "Åberg", "Ängel", "Ahl"];
        sort(&mut rows, false, |r| SortValue::Text((*r).to_owned()));
        assert_eq!(rows, ["Ahl", "Åberg", "Ängel", "Öberg"]);
        sort(&mut rows, true, |r| SortValue::Text((*r).to_owned()));
        assert_eq!(rows, ["Öberg", "Ängel", "Åberg", "Ahl"]);
    }

    #[test]
    fn links_keep_the_list_state_and_drop_empty_values() {
        let p = ListParams {
            q: "ulla s".into(),
            sort: "namn".into(),
            ..Default::default()
        };
        assert_eq!(
            p.href("/remisser", &[("status", "ny")], &[("sida", "2")]),
            "/remisser?q=ulla+s&sort=namn&sida=2&status=ny"
        );
    }
}
