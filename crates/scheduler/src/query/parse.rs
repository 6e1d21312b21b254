//! The cluster query language parser: a hand-written recursive descent over characters.
//!
//! It is hand-written so that every error can name the 1-based character position and what was
//! expected there, which is what a user editing a `memberOf` expression needs to see.

use regex::Regex;

use super::value::{Version, parse_time};
use super::{Argument, Check, Expr, Operator, Subject, Term, Typed};
use crate::strategy::is_attribute_name;

/// A syntax or typing error in an expression, at a 1-based character `position`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at position {position}")]
pub struct ParseError {
    pub position: usize,
    pub kind: ParseErrorKind,
}

const SUBJECTS: &str = "attribute:<name>, agentConnected, agentVersion, ec2InstanceId, registeredAt, runningTasksCount or task:group";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseErrorKind {
    #[error("expected an expression")]
    ExpectedExpression,
    #[error("expected a subject ({SUBJECTS}), found \"{found}\"")]
    ExpectedSubject { found: String },
    #[error("unknown subject \"{subject}\"; expected {SUBJECTS}")]
    UnknownSubject { subject: String },
    #[error(
        "invalid attribute name \"{name}\"; names are 1-128 characters from A-Z a-z 0-9 - _ / ."
    )]
    InvalidAttributeName { name: String },
    #[error("expected an operator after \"{after}\"")]
    ExpectedOperator { after: String },
    #[error(
        "unknown operator \"{operator}\"; expected ==, !=, >, >=, <, <=, exists, !exists, in, !in, =~ or !~ (or their word forms)"
    )]
    UnknownOperator { operator: String },
    #[error("operator \"{operator}\" is not allowed with {subject}, which takes {allowed}")]
    OperatorNotAllowed { operator: String, subject: String, allowed: &'static str },
    #[error("expected a value after \"{after}\"")]
    ExpectedValue { after: String },
    #[error("operator \"{operator}\" takes a single value, not a list")]
    ListNotAllowed { operator: String },
    #[error("expected \",\" or \"]\" in the list, found \"{found}\"")]
    ExpectedListSeparator { found: String },
    #[error("unterminated quoted value")]
    UnterminatedQuote,
    #[error("invalid value \"{value}\" for {subject}: expected {expected}")]
    InvalidValue { value: String, subject: String, expected: &'static str },
    #[error("invalid regular expression \"{pattern}\": {reason}")]
    InvalidRegex { pattern: String, reason: String },
    #[error("expected \"and\", \"or\"{close} or the end of the expression, found \"{found}\"")]
    ExpectedConnective { found: String, close: &'static str },
    #[error("expected \")\" to close the \"(\" opened at character {opened_at}")]
    UnclosedParenthesis { opened_at: usize },
    #[error("expected \"(\" after \"{keyword}\"")]
    ExpectedOpenParenthesis { keyword: String },
    #[error("parentheses nest more than {MAX_DEPTH} deep")]
    TooDeep,
    #[error("the expression is {length} characters long; the maximum is {MAX_LENGTH}")]
    TooLong { length: usize },
}

/// The deepest parentheses (including `not(...)`) may nest. Parsing keeps the nesting on a
/// stack of its own; evaluating, printing, comparing and dropping an expression recurse about
/// once per level, which the cap keeps far from any thread stack's end.
pub const MAX_DEPTH: usize = 64;

/// The longest expression accepted, in characters: it bounds the work of parsing and
/// evaluating one expression.
pub const MAX_LENGTH: usize = 4096;

/// Parses a cluster query language expression.
///
/// An expression longer than [`MAX_LENGTH`] characters or nesting parentheses deeper than
/// [`MAX_DEPTH`] is refused before anything recurses that far.
pub fn parse(input: &str) -> Result<Expr, ParseError> {
    let length = input.chars().count();
    if length > MAX_LENGTH {
        return Err(ParseError {
            position: MAX_LENGTH + 1,
            kind: ParseErrorKind::TooLong { length },
        });
    }
    let mut parser = Parser { chars: input.chars().collect(), pos: 0, depth: 0 };
    parser.expression()
}

/// A group being read: the whole expression, `(...)` or `not(...)`.
struct Group {
    /// 0-based index of its `(` (0 for the whole expression).
    opened_at: usize,
    negate: bool,
    /// The operands of the `or` chain so far, each a finished `and` chain.
    or: Vec<Expr>,
    /// The operands of the current `and` chain.
    and: Vec<Expr>,
}

impl Group {
    fn new(opened_at: usize, negate: bool) -> Group {
        Group { opened_at, negate, or: Vec::new(), and: Vec::new() }
    }

    /// Ends the current `and` chain: it becomes one operand of the `or` chain.
    fn close_and(&mut self) {
        let and = std::mem::take(&mut self.and);
        self.or.push(chain(and, Expr::And, |expr| match expr {
            Expr::And(operands) => Ok(operands),
            other => Err(other),
        }));
    }

    fn finish(mut self) -> Expr {
        self.close_and();
        let negate = self.negate;
        let expr = chain(self.or, Expr::Or, |expr| match expr {
            Expr::Or(operands) => Ok(operands),
            other => Err(other),
        });
        if negate { Expr::Not(Box::new(expr)) } else { expr }
    }
}

/// One operand as itself; several as one node of the connective, with operands that are
/// themselves that connective (a parenthesised chain) spliced in.
fn chain(
    operands: Vec<Expr>,
    node: fn(Vec<Expr>) -> Expr,
    same: fn(Expr) -> Result<Vec<Expr>, Expr>,
) -> Expr {
    if operands.len() == 1 {
        return operands.into_iter().next().expect("one operand");
    }
    let mut flat = Vec::with_capacity(operands.len());
    for operand in operands {
        match same(operand) {
            Ok(inner) => flat.extend(inner),
            Err(other) => flat.push(other),
        }
    }
    node(flat)
}

struct Parser {
    chars: Vec<char>,
    /// 0-based index into `chars`.
    pos: usize,
    /// Open parentheses around the current position.
    depth: usize,
}

/// Characters of a subject: `attribute:` names and the fixed subject names.
fn is_subject_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':')
}

fn is_operator_symbol(c: char) -> bool {
    matches!(c, '=' | '!' | '<' | '>' | '~')
}

impl Parser {
    fn error(&self, kind: ParseErrorKind) -> ParseError {
        self.error_at(self.pos, kind)
    }

    fn error_at(&self, pos: usize, kind: ParseErrorKind) -> ParseError {
        ParseError { position: pos + 1, kind }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    /// The text from the current position to the next whitespace, for error messages.
    fn peek_token(&self) -> String {
        let rest = &self.chars[self.pos..];
        let len = rest.iter().take_while(|c| !c.is_whitespace()).count().max(1);
        rest[..len.min(rest.len())].iter().collect()
    }

    /// Consumes `word` if it is next and ends at a word boundary.
    fn eat_word(&mut self, word: &str) -> bool {
        let len = word.chars().count();
        let matches = self.chars.len() >= self.pos + len
            && self.chars[self.pos..self.pos + len].iter().copied().eq(word.chars());
        let boundary = self
            .chars
            .get(self.pos + len)
            .is_none_or(|c| !is_subject_char(*c) && !is_operator_symbol(*c) || *c == '!');
        if matches && boundary {
            self.pos += len;
            true
        } else {
            false
        }
    }

    fn eat_symbol(&mut self, symbol: &str) -> bool {
        let len = symbol.chars().count();
        if self.chars.len() >= self.pos + len
            && self.chars[self.pos..self.pos + len].iter().copied().eq(symbol.chars())
        {
            self.pos += len;
            true
        } else {
            false
        }
    }

    /// The whole expression. The nesting is kept on an explicit stack of open groups rather
    /// than the thread's stack, so no input can exhaust it, and [`MAX_DEPTH`] bounds the tree.
    fn expression(&mut self) -> Result<Expr, ParseError> {
        // The outermost group (the whole expression) and one per open parenthesis.
        let mut groups = vec![Group::new(0, false)];
        loop {
            // An operand: a term, or the start of a group whose contents come next.
            self.skip_whitespace();
            let start = self.pos;
            let negate = if self.eat_symbol("!") {
                Some("!")
            } else if self.eat_word("not") {
                Some("not")
            } else {
                None
            };
            if let Some(keyword) = negate {
                self.skip_whitespace();
                if self.peek() != Some('(') {
                    return Err(self.error(ParseErrorKind::ExpectedOpenParenthesis {
                        keyword: keyword.to_owned(),
                    }));
                }
            } else {
                self.pos = start;
            }
            if self.peek() == Some('(') {
                if self.depth >= MAX_DEPTH {
                    return Err(self.error(ParseErrorKind::TooDeep));
                }
                groups.push(Group::new(self.pos, negate.is_some()));
                self.pos += 1;
                self.depth += 1;
                continue;
            }
            let mut operand = match self.peek() {
                None => return Err(self.error(ParseErrorKind::ExpectedExpression)),
                Some(_) => Expr::Term(self.term()?),
            };
            // What follows an operand: a connective, the end of groups, or the end.
            loop {
                let group = groups.last_mut().expect("the outermost group stays open");
                group.and.push(operand);
                self.skip_whitespace();
                if self.eat_symbol("&&") || self.eat_word("and") {
                    break;
                }
                self.expect_connective_or_end()?;
                if self.eat_symbol("||") || self.eat_word("or") {
                    group.close_and();
                    break;
                }
                if self.depth == 0 {
                    if self.pos < self.chars.len() {
                        return Err(self.error(ParseErrorKind::ExpectedConnective {
                            found: self.peek_token(),
                            close: "",
                        }));
                    }
                    let group = groups.pop().expect("the outermost group");
                    return Ok(group.finish());
                }
                let group = groups.pop().expect("an open group");
                if self.peek() != Some(')') {
                    return Err(self.error(ParseErrorKind::UnclosedParenthesis {
                        opened_at: group.opened_at + 1,
                    }));
                }
                self.pos += 1;
                self.depth -= 1;
                operand = group.finish();
            }
        }
    }

    /// After an operand, only a connective, a closing parenthesis (when one is open) or the end may follow.
    fn expect_connective_or_end(&self) -> Result<(), ParseError> {
        match self.peek() {
            None => Ok(()),
            Some(')') if self.depth > 0 => Ok(()),
            Some('|') if self.chars.get(self.pos + 1) == Some(&'|') => Ok(()),
            Some('o') if self.chars[self.pos..].starts_with(&['o', 'r']) => Ok(()),
            Some(_) => Err(self.error(ParseErrorKind::ExpectedConnective {
                found: self.peek_token(),
                close: if self.depth > 0 { ", \")\"" } else { "" },
            })),
        }
    }

    fn term(&mut self) -> Result<Term, ParseError> {
        let subject_start = self.pos;
        let subject_text: String = self.take_while(is_subject_char);
        if subject_text.is_empty() {
            return Err(self.error(ParseErrorKind::ExpectedSubject { found: self.peek_token() }));
        }
        let subject = match subject_text.as_str() {
            "agentConnected" => Subject::AgentConnected,
            "agentVersion" => Subject::AgentVersion,
            "ec2InstanceId" => Subject::Ec2InstanceId,
            "registeredAt" => Subject::RegisteredAt,
            "runningTasksCount" => Subject::RunningTasksCount,
            "task:group" => Subject::TaskGroup,
            other => match other.strip_prefix("attribute:") {
                Some(name) if is_attribute_name(name) => Subject::Attribute(name.to_owned()),
                Some(name) => {
                    return Err(self.error_at(
                        subject_start + "attribute:".len(),
                        ParseErrorKind::InvalidAttributeName { name: name.to_owned() },
                    ));
                }
                None => {
                    return Err(self.error_at(
                        subject_start,
                        ParseErrorKind::UnknownSubject { subject: other.to_owned() },
                    ));
                }
            },
        };

        self.skip_whitespace();
        let operator_start = self.pos;
        let operator_text = match self.peek() {
            Some(c) if is_operator_symbol(c) => {
                let mut text = self.take_while(is_operator_symbol);
                if text == "!" && self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
                    text.push_str(&self.take_while(|c| c.is_ascii_alphabetic() || c == '_'));
                }
                text
            }
            Some(c) if c.is_ascii_alphabetic() => {
                self.take_while(|c| c.is_ascii_alphabetic() || c == '_')
            }
            _ => {
                return Err(self.error(ParseErrorKind::ExpectedOperator { after: subject_text }));
            }
        };
        let Some(operator) = Operator::from_token(&operator_text) else {
            return Err(self.error_at(
                operator_start,
                ParseErrorKind::UnknownOperator { operator: operator_text },
            ));
        };
        if !subject.allows(operator) {
            return Err(self.error_at(
                operator_start,
                ParseErrorKind::OperatorNotAllowed {
                    operator: operator_text,
                    subject: subject.to_string(),
                    allowed: subject.allowed_list(),
                },
            ));
        }

        if !operator.takes_argument() {
            let check = Check::Exists { negate: operator == Operator::NotExists };
            return Ok(Term { subject, operator, argument: Argument::None, check });
        }

        self.skip_whitespace();
        let argument_start = self.pos;
        let argument = match self.peek() {
            None | Some(')') => {
                return Err(self.error(ParseErrorKind::ExpectedValue { after: operator_text }));
            }
            Some('[') => {
                self.pos += 1;
                let mut values = Vec::new();
                loop {
                    self.skip_whitespace();
                    values.push(self.literal(&operator_text, true)?);
                    self.skip_whitespace();
                    match self.peek() {
                        Some(',') => self.pos += 1,
                        Some(']') => {
                            self.pos += 1;
                            break;
                        }
                        None => {
                            return Err(self.error(ParseErrorKind::ExpectedListSeparator {
                                found: "end of the expression".to_owned(),
                            }));
                        }
                        Some(_) => {
                            return Err(self.error(ParseErrorKind::ExpectedListSeparator {
                                found: self.peek_token(),
                            }));
                        }
                    }
                }
                if !matches!(operator, Operator::In | Operator::NotIn) {
                    return Err(self.error_at(
                        argument_start,
                        ParseErrorKind::ListNotAllowed { operator: operator_text },
                    ));
                }
                Argument::List(values)
            }
            Some(_) => Argument::Value(self.literal(&operator_text, false)?),
        };
        let check = compile(&subject, operator, &argument)
            .map_err(|kind| self.error_at(argument_start, kind))?;
        Ok(Term { subject, operator, argument, check })
    }

    fn take_while(&mut self, predicate: impl Fn(char) -> bool) -> String {
        let start = self.pos;
        while self.peek().is_some_and(&predicate) {
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect()
    }

    /// A quoted (`'...'`, `"..."`, backslash escapes the quote and itself) or unquoted literal.
    /// Unquoted literals end at whitespace or `)`, and in a list also at `,` and `]`.
    fn literal(&mut self, after: &str, in_list: bool) -> Result<String, ParseError> {
        match self.peek() {
            Some(quote @ ('\'' | '"')) => {
                let opened_at = self.pos;
                self.pos += 1;
                let mut value = String::new();
                loop {
                    match self.peek() {
                        None => {
                            return Err(self.error_at(opened_at, ParseErrorKind::UnterminatedQuote));
                        }
                        Some(c) if c == quote => {
                            self.pos += 1;
                            return Ok(value);
                        }
                        Some('\\')
                            if self
                                .chars
                                .get(self.pos + 1)
                                .is_some_and(|next| *next == quote || *next == '\\') =>
                        {
                            value.push(self.chars[self.pos + 1]);
                            self.pos += 2;
                        }
                        Some(c) => {
                            value.push(c);
                            self.pos += 1;
                        }
                    }
                }
            }
            _ => {
                let value = self.take_while(|c| {
                    !c.is_whitespace() && c != ')' && !(in_list && (c == ',' || c == ']'))
                });
                if value.is_empty() {
                    return Err(
                        self.error(ParseErrorKind::ExpectedValue { after: after.to_owned() })
                    );
                }
                Ok(value)
            }
        }
    }
}

/// Types a term's argument for its subject and operator.
fn compile(
    subject: &Subject,
    operator: Operator,
    argument: &Argument,
) -> Result<Check, ParseErrorKind> {
    let values: Vec<&str> = match argument {
        Argument::None => Vec::new(),
        Argument::Value(value) => vec![value.as_str()],
        Argument::List(values) => values.iter().map(String::as_str).collect(),
    };
    let invalid = |value: &str, expected: &'static str| ParseErrorKind::InvalidValue {
        value: value.to_owned(),
        subject: subject.to_string(),
        expected,
    };
    match operator {
        Operator::Exists | Operator::NotExists => {
            Ok(Check::Exists { negate: operator == Operator::NotExists })
        }
        Operator::Matches | Operator::NotMatches => {
            let pattern = values[0];
            let regex = Regex::new(&format!("^(?:{pattern})$")).map_err(|err| {
                ParseErrorKind::InvalidRegex {
                    pattern: pattern.to_owned(),
                    reason: regex_reason(&err),
                }
            })?;
            Ok(Check::Regex { regex, negate: operator == Operator::NotMatches })
        }
        Operator::Eq | Operator::Ne | Operator::In | Operator::NotIn
            if !matches!(
                subject,
                Subject::AgentVersion | Subject::RegisteredAt | Subject::RunningTasksCount
            ) =>
        {
            let mut texts = Vec::with_capacity(values.len());
            for value in values {
                if *subject == Subject::AgentConnected {
                    match value.to_ascii_lowercase().as_str() {
                        canonical @ ("true" | "false") => texts.push(canonical.to_owned()),
                        _ => return Err(invalid(value, "true or false")),
                    }
                } else {
                    texts.push(value.to_owned());
                }
            }
            Ok(Check::OneOf {
                values: texts,
                negate: matches!(operator, Operator::Ne | Operator::NotIn),
            })
        }
        _ => {
            let value = values[0];
            let typed = match subject {
                Subject::AgentVersion => Typed::Version(
                    Version::parse_strict(value)
                        .ok_or_else(|| invalid(value, "a dotted version such as 1.14.5"))?,
                ),
                Subject::RegisteredAt => Typed::Time(
                    parse_time(value)
                        .ok_or_else(|| {
                            invalid(value, "a date such as 2018-06-18 or 2018-06-18T22:28:28Z")
                        })?
                        .floor() as i64,
                ),
                Subject::RunningTasksCount => Typed::Count(
                    value.parse().map_err(|_| invalid(value, "a non-negative whole number"))?,
                ),
                _ => Typed::Text {
                    text: value.to_owned(),
                    number: value.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
                },
            };
            Ok(Check::Compare { operator, value: typed })
        }
    }
}

/// The one-line cause from a regex syntax error (the crate's message spans several lines).
fn regex_reason(err: &regex::Error) -> String {
    let text = err.to_string();
    text.lines()
        .rev()
        .find_map(|line| line.trim().strip_prefix("error: "))
        .unwrap_or(text.lines().last().unwrap_or("invalid pattern"))
        .trim()
        .to_owned()
}
