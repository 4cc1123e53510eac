//! The filter language, used for contact filters (V3) and ticket visibility filters (V5),
//! and for the column filters of the ticket list (T1).
//!
//! A [`Filter`] is a list of [`FilterGroup`]s: a record matches when it meets **all**
//! criteria of **at least one** group. Each [`Criterion`] names a property, an operator and,
//! for most operators, a value.
//!
//! Semantics, which every storage adapter must reproduce exactly:
//! - an unknown (unset) property fails every operator except `NotEquals`, `NoneOf` and
//!   `IsUnknown`, which it passes;
//! - values of another kind than the property's never match (`Equals(Number(1))` on a text
//!   property is false, so `NotEquals` of it is true);
//! - `Contains` and `StartsWith` compare text with ASCII letters case-folded, every other
//!   character exactly; an empty needle matches every known text;
//! - `GreaterThan`/`LessThan` compare numbers with numbers and dates with dates, strictly;
//! - a group without criteria matches everything; a filter without groups matches nothing
//!   (settings validation refuses both where they make no sense).

use serde::{Deserialize, Serialize};

use crate::model::{Value, ValueKind};
use crate::property::{PropertyCatalog, PropertySource};

/// A comparison applied to one property.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "op", content = "value", rename_all = "snake_case")]
pub enum Operator {
    /// The property is known and equal to the value.
    Equals(Value),
    /// Not `Equals` (an unknown property passes).
    NotEquals(Value),
    /// The property is known and equal to one of the values.
    IsAnyOf(Vec<Value>),
    /// Not `IsAnyOf` (an unknown property passes).
    IsNoneOf(Vec<Value>),
    /// Known text containing the needle (ASCII case-insensitive).
    Contains(String),
    /// Known text starting with the needle (ASCII case-insensitive).
    StartsWith(String),
    /// The property has a value.
    IsKnown,
    /// The property has no value.
    IsUnknown,
    /// A known number or date strictly greater than the value.
    GreaterThan(Value),
    /// A known number or date strictly less than the value.
    LessThan(Value),
}

impl Operator {
    /// Stable short name (used in forms, URLs and the SQL builder).
    pub fn name(&self) -> &'static str {
        match self {
            Operator::Equals(_) => "eq",
            Operator::NotEquals(_) => "neq",
            Operator::IsAnyOf(_) => "any",
            Operator::IsNoneOf(_) => "none",
            Operator::Contains(_) => "contains",
            Operator::StartsWith(_) => "starts",
            Operator::IsKnown => "known",
            Operator::IsUnknown => "unknown",
            Operator::GreaterThan(_) => "gt",
            Operator::LessThan(_) => "lt",
        }
    }

    /// Whether this operator makes sense for a property of kind `kind` with its value(s).
    pub fn fits(&self, kind: ValueKind) -> bool {
        let same = |v: &Value| v.kind() == kind;
        match self {
            Operator::Equals(v) | Operator::NotEquals(v) => same(v),
            Operator::IsAnyOf(vs) | Operator::IsNoneOf(vs) => !vs.is_empty() && vs.iter().all(same),
            Operator::Contains(_) | Operator::StartsWith(_) => kind == ValueKind::Text,
            Operator::IsKnown | Operator::IsUnknown => true,
            Operator::GreaterThan(v) | Operator::LessThan(v) => kind != ValueKind::Text && same(v),
        }
    }
}

/// One condition: `property op value`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Criterion {
    /// The property name.
    pub property: String,
    /// The comparison.
    #[serde(flatten)]
    pub op: Operator,
}

impl Criterion {
    /// A criterion.
    pub fn new(property: impl Into<String>, op: Operator) -> Criterion {
        Criterion {
            property: property.into(),
            op,
        }
    }

    /// Whether `record` meets this criterion.
    pub fn matches(&self, record: &impl PropertySource) -> bool {
        eval(&self.op, record.property(&self.property).as_ref())
    }
}

/// Criteria that must all hold (AND).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FilterGroup {
    /// The criteria.
    pub criteria: Vec<Criterion>,
}

impl FilterGroup {
    /// Whether `record` meets every criterion.
    pub fn matches(&self, record: &impl PropertySource) -> bool {
        self.criteria.iter().all(|c| c.matches(record))
    }
}

/// Groups of which at least one must hold (OR).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Filter {
    /// The groups.
    pub groups: Vec<FilterGroup>,
}

impl Filter {
    /// A filter of one group.
    pub fn all_of(criteria: Vec<Criterion>) -> Filter {
        Filter {
            groups: vec![FilterGroup { criteria }],
        }
    }

    /// Whether `record` meets at least one group.
    pub fn matches(&self, record: &impl PropertySource) -> bool {
        self.matching_group(record).is_some()
    }

    /// The index of the first group `record` meets (explain-access names it, N3).
    pub fn matching_group(&self, record: &impl PropertySource) -> Option<usize> {
        self.groups.iter().position(|g| g.matches(record))
    }

    /// Every property the filter names.
    pub fn properties(&self) -> impl Iterator<Item = &str> {
        self.groups
            .iter()
            .flat_map(|g| g.criteria.iter().map(|c| c.property.as_str()))
    }

    /// Problems with this filter against `catalog`, as `(position, message)` pairs where
    /// position is `group.criterion`. Empty when the filter is sound.
    pub fn problems(&self, catalog: &PropertyCatalog) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if self.groups.is_empty() {
            out.push(("".into(), "a filter needs at least one group".into()));
        }
        for (g, group) in self.groups.iter().enumerate() {
            if group.criteria.is_empty() {
                out.push((
                    format!("{g}"),
                    "a group needs at least one criterion".into(),
                ));
            }
            for (c, crit) in group.criteria.iter().enumerate() {
                let at = format!("{g}.{c}");
                match catalog.get(&crit.property) {
                    None => out.push((at, format!("unknown property `{}`", crit.property))),
                    Some(def) if !crit.op.fits(def.kind) => out.push((
                        at,
                        format!(
                            "operator `{}` does not fit property `{}`",
                            crit.op.name(),
                            def.name
                        ),
                    )),
                    Some(_) => {}
                }
            }
        }
        out
    }
}

/// ASCII case-folded text, as `Contains` and `StartsWith` compare it.
pub fn fold(s: &str) -> String {
    s.to_ascii_lowercase()
}

fn eval(op: &Operator, actual: Option<&Value>) -> bool {
    match op {
        Operator::IsKnown => actual.is_some(),
        Operator::IsUnknown => actual.is_none(),
        Operator::NotEquals(v) => actual != Some(v),
        Operator::IsNoneOf(vs) => actual.is_none_or(|a| !vs.contains(a)),
        _ => {
            let Some(actual) = actual else { return false };
            match op {
                Operator::Equals(v) => actual == v,
                Operator::IsAnyOf(vs) => vs.contains(actual),
                Operator::Contains(needle) => {
                    matches!(actual, Value::Text(t) if fold(t).contains(&fold(needle)))
                }
                Operator::StartsWith(prefix) => {
                    matches!(actual, Value::Text(t) if fold(t).starts_with(&fold(prefix)))
                }
                Operator::GreaterThan(v) => ordered(actual, v) == Some(std::cmp::Ordering::Greater),
                Operator::LessThan(v) => ordered(actual, v) == Some(std::cmp::Ordering::Less),
                // Handled above; listed so a new operator must be placed deliberately.
                Operator::IsKnown
                | Operator::IsUnknown
                | Operator::NotEquals(_)
                | Operator::IsNoneOf(_) => false,
            }
        }
    }
}

fn ordered(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => Some(x.cmp(y)),
        (Value::Date(x), Value::Date(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Properties;

    struct Rec(Properties);
    impl PropertySource for Rec {
        fn property(&self, name: &str) -> Option<Value> {
            self.0.get(name).cloned()
        }
    }

    fn rec(pairs: &[(&str, Value)]) -> Rec {
        Rec(pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect())
    }

    #[test]
    fn unknown_passes_only_negative_operators() {
        let r = rec(&[]);
        let v = Value::text("x");
        assert!(!Criterion::new("p", Operator::Equals(v.clone())).matches(&r));
        assert!(Criterion::new("p", Operator::NotEquals(v.clone())).matches(&r));
        assert!(!Criterion::new("p", Operator::IsAnyOf(vec![v.clone()])).matches(&r));
        assert!(Criterion::new("p", Operator::IsNoneOf(vec![v])).matches(&r));
        assert!(!Criterion::new("p", Operator::Contains(String::new())).matches(&r));
        assert!(Criterion::new("p", Operator::IsUnknown).matches(&r));
        assert!(!Criterion::new("p", Operator::IsKnown).matches(&r));
    }

    #[test]
    fn contains_folds_ascii_only() {
        let r = rec(&[("p", Value::text("Hello WORLD Ä"))]);
        assert!(Criterion::new("p", Operator::Contains("world".into())).matches(&r));
        assert!(Criterion::new("p", Operator::StartsWith("hELLO".into())).matches(&r));
        assert!(!Criterion::new("p", Operator::Contains("ä".into())).matches(&r));
    }

    #[test]
    fn comparisons_need_the_same_kind() {
        let r = rec(&[
            ("n", Value::Number(5)),
            ("d", Value::Date(crate::model::Timestamp(10))),
        ]);
        assert!(Criterion::new("n", Operator::GreaterThan(Value::Number(4))).matches(&r));
        assert!(!Criterion::new("n", Operator::GreaterThan(Value::Number(5))).matches(&r));
        assert!(Criterion::new("n", Operator::LessThan(Value::Number(6))).matches(&r));
        assert!(
            !Criterion::new(
                "n",
                Operator::LessThan(Value::Date(crate::model::Timestamp(6)))
            )
            .matches(&r)
        );
        assert!(
            Criterion::new(
                "d",
                Operator::GreaterThan(Value::Date(crate::model::Timestamp(9)))
            )
            .matches(&r)
        );
    }

    #[test]
    fn groups_and_within_or_across() {
        let r = rec(&[("a", Value::Number(1)), ("b", Value::Number(2))]);
        let eq = |p: &str, n| Criterion::new(p, Operator::Equals(Value::Number(n)));
        let f = Filter {
            groups: vec![
                FilterGroup {
                    criteria: vec![eq("a", 1), eq("b", 3)],
                },
                FilterGroup {
                    criteria: vec![eq("b", 2)],
                },
            ],
        };
        assert_eq!(f.matching_group(&r), Some(1));
        assert!(!Filter::default().matches(&r));
        assert!(FilterGroup::default().matches(&r));
    }
}

/// `YYYY-MM-DD` of a timestamp (UTC), the form dates take in filter texts and forms.
pub fn date_text(t: crate::model::Timestamp) -> String {
    let c = t.civil();
    format!("{:04}-{:02}-{:02}", c.year, c.month, c.day)
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Date(t) => date_text(*t),
        other => other.to_string(),
    }
}

/// The text form of a filter, as the settings page edits it: one group per line, criteria
/// joined by ` AND `, each `property operator value`. Operators: `=`, `!=`, `in` and
/// `not in` (values separated by commas), `contains`, `starts with`, `is known`,
/// `is unknown`, `>`, `<`. Dates are `YYYY-MM-DD`.
pub fn to_text(f: &Filter) -> String {
    to_text_named(f, |_, _| None)
}

/// [`to_text`] with values shown by name where `name_of(property, value)` knows one (a
/// pipeline's label rather than its id): what [`parse_text_named`] reads back.
pub fn to_text_named(f: &Filter, name_of: impl Fn(&str, &Value) -> Option<String>) -> String {
    f.groups
        .iter()
        .map(|g| {
            g.criteria
                .iter()
                .map(|c| {
                    let value_text =
                        |v: &Value| name_of(&c.property, v).unwrap_or_else(|| value_text(v));
                    let list =
                        |vs: &[Value]| vs.iter().map(value_text).collect::<Vec<_>>().join(", ");
                    match &c.op {
                        Operator::Equals(v) => format!("{} = {}", c.property, value_text(v)),
                        Operator::NotEquals(v) => format!("{} != {}", c.property, value_text(v)),
                        Operator::IsAnyOf(vs) => format!("{} in {}", c.property, list(vs)),
                        Operator::IsNoneOf(vs) => format!("{} not in {}", c.property, list(vs)),
                        Operator::Contains(s) => format!("{} contains {s}", c.property),
                        Operator::StartsWith(s) => format!("{} starts with {s}", c.property),
                        Operator::IsKnown => format!("{} is known", c.property),
                        Operator::IsUnknown => format!("{} is unknown", c.property),
                        Operator::GreaterThan(v) => format!("{} > {}", c.property, value_text(v)),
                        Operator::LessThan(v) => format!("{} < {}", c.property, value_text(v)),
                    }
                })
                .collect::<Vec<_>>()
                .join(" AND ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Why a filter text does not parse: the line (1-based) and a stable code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterTextError {
    /// The line.
    pub line: usize,
    /// `unknown_property`, `unknown_operator`, `invalid_number`, `invalid_date`, `required`.
    pub code: &'static str,
    /// What was wrong, in English.
    pub detail: String,
}

/// Parses [`to_text`]'s form; `kind_of` gives each property's kind (`None`: unknown).
/// Blank lines are ignored, so an empty text is a filter without groups.
pub fn parse_text(
    text: &str,
    kind_of: impl Fn(&str) -> Option<ValueKind>,
) -> Result<Filter, FilterTextError> {
    parse_text_named(text, kind_of, |_, _| None)
}

/// [`parse_text`] where a value may also be a name: `by_name(property, text)` gives the
/// value a name stands for (`pipeline = Returns` for the pipeline's id), tried first.
pub fn parse_text_named(
    text: &str,
    kind_of: impl Fn(&str) -> Option<ValueKind>,
    by_name: impl Fn(&str, &str) -> Option<Value>,
) -> Result<Filter, FilterTextError> {
    const OPS: [&str; 10] = [
        "is unknown",
        "is known",
        "not in",
        "starts with",
        "contains",
        "in",
        "!=",
        "=",
        ">",
        "<",
    ];
    let mut groups = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let err = |code: &'static str, detail: String| FilterTextError {
            line: line_no,
            code,
            detail,
        };
        let mut criteria = Vec::new();
        for part in line.split(" AND ") {
            let part = part.trim();
            let (property, rest) = part
                .split_once(char::is_whitespace)
                .map(|(p, r)| (p.trim(), r.trim_start()))
                .unwrap_or((part, ""));
            let rest = rest.to_string();
            let kind = kind_of(property)
                .ok_or_else(|| err("unknown_property", format!("no property `{property}`")))?;
            let rest = rest.trim();
            let (op, value) = OPS
                .iter()
                .find_map(|op| {
                    let r = rest.strip_prefix(op)?;
                    let word_op = op.chars().next().is_some_and(char::is_alphabetic);
                    (!word_op || r.is_empty() || r.starts_with(char::is_whitespace))
                        .then(|| (*op, r.trim()))
                })
                .ok_or_else(|| err("unknown_operator", format!("no operator in `{part}`")))?;
            let one = |raw: &str| -> Result<Value, FilterTextError> {
                if let Some(v) = by_name(property, raw.trim()) {
                    return Ok(v);
                }
                match crate::model::parse_value(kind, raw) {
                    Ok(Some(v)) => Ok(v),
                    Ok(None) => Err(err("required", format!("`{part}` needs a value"))),
                    Err(code) => Err(err(code, format!("`{raw}` in `{part}`"))),
                }
            };
            let many = |raw: &str| -> Result<Vec<Value>, FilterTextError> {
                raw.split(',').map(|v| one(v.trim())).collect()
            };
            let op = match op {
                "=" => Operator::Equals(one(value)?),
                "!=" => Operator::NotEquals(one(value)?),
                "in" => Operator::IsAnyOf(many(value)?),
                "not in" => Operator::IsNoneOf(many(value)?),
                "contains" => Operator::Contains(value.to_string()),
                "starts with" => Operator::StartsWith(value.to_string()),
                "is known" => Operator::IsKnown,
                "is unknown" => Operator::IsUnknown,
                ">" => Operator::GreaterThan(one(value)?),
                _ => Operator::LessThan(one(value)?),
            };
            criteria.push(Criterion::new(property, op));
        }
        groups.push(FilterGroup { criteria });
    }
    Ok(Filter { groups })
}
