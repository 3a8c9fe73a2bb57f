//! The small expression language of form relevance and constraints, modelled
//! on what XLSForm users know.
//!
//! ```text
//! ${household_size} >= 1 and ${household_size} <= 20     -- answers by question id
//! . >= 35 and . <= 43                                    -- "." is this question's answer
//! ${returned} = 'yes' or selected(${codes}, 'red')
//! not(${tenure} = 'owner')
//! ${quarantine_until} >= today()
//! ```
//!
//! Values are numbers, text (in single or double quotes), booleans
//! (`true()`, `false()`, yes/no answers), dates (text `YYYY-MM-DD`, so they
//! compare in order) and "no answer". Operators, loosest first: `or`, `and`,
//! `not`, comparisons (`= != < <= > >=`), `+ -`, `* div mod`, unary `-`.
//! Functions: `selected(list, 'value')`, `count-selected(list)`,
//! `string-length(text)`, `if(condition, then, else)`, `today()`.
//!
//! An unanswered question is "no answer": it equals `''`, is not equal to
//! anything else, and every ordering comparison with it is false (so a
//! constraint on an empty optional question never fires).
//!
//! An expression is parsed once (`Expr::parse`) and evaluated many times;
//! parse errors name the 1-based character position.

use std::fmt;

use crate::limits::{MAX_EXPRESSION_CHARS, MAX_EXPRESSION_DEPTH};

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    Text(String),
    List(Vec<String>),
}

impl Value {
    pub fn truthy(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Number(n) => *n != 0.0 && !n.is_nan(),
            Value::Text(t) => !t.is_empty(),
            Value::List(items) => !items.is_empty(),
        }
    }

    fn as_number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            Value::Text(t) => t.trim().parse().ok(),
            Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
            _ => None,
        }
    }

    fn as_text(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
            Value::Number(n) => format_number(*n),
            Value::Text(t) => t.clone(),
            Value::List(items) => items.join(" "),
        }
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// What an expression reads: answers to other questions, the answer being
/// checked (`.`), and the phone's local date.
pub trait Env {
    fn answer(&self, question_id: &str) -> Value;
    fn current(&self) -> Value;
    /// `YYYY-MM-DD` in the phone's local time zone.
    fn today(&self) -> String;
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Literal(Value),
    Answer(String),
    Current,
    Not(Box<Expr>),
    Negate(Box<Expr>),
    Binary(Box<Expr>, BinaryOp, Box<Expr>),
    Call(Function, Vec<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    Selected,
    CountSelected,
    StringLength,
    If,
    Today,
    True,
    False,
}

impl Function {
    fn by_name(name: &str) -> Option<(Function, usize)> {
        Some(match name {
            "selected" => (Function::Selected, 2),
            "count-selected" => (Function::CountSelected, 1),
            "string-length" => (Function::StringLength, 1),
            "if" => (Function::If, 3),
            "today" => (Function::Today, 0),
            "true" => (Function::True, 0),
            "false" => (Function::False, 0),
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based character position in the expression.
    pub position: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at character {}: {}", self.position, self.message)
    }
}

impl std::error::Error for ParseError {}

impl Expr {
    /// Parses `source`: at most [`MAX_EXPRESSION_CHARS`] characters, nested
    /// at most [`MAX_EXPRESSION_DEPTH`] deep (the parser recurses once per
    /// level, so the depth bound is what keeps it on the stack).
    pub fn parse(source: &str) -> Result<Expr, ParseError> {
        let length = source.chars().count();
        if length > MAX_EXPRESSION_CHARS {
            return Err(ParseError {
                position: MAX_EXPRESSION_CHARS + 1,
                message: format!("the expression has {length} characters (at most {MAX_EXPRESSION_CHARS})"),
            });
        }
        let tokens = tokenize(source)?;
        let mut parser = Parser { tokens, next: 0, end: length + 1, depth: 0 };
        let expr = parser.or()?;
        match parser.peek() {
            None => Ok(expr),
            Some((token, position)) => Err(ParseError { position, message: format!("unexpected {}", token.describe()) }),
        }
    }

    /// Question ids this expression reads (`${...}`), in order of appearance.
    pub fn references(&self) -> Vec<&str> {
        let mut names = Vec::new();
        self.collect_references(&mut names);
        names
    }

    fn collect_references<'a>(&'a self, names: &mut Vec<&'a str>) {
        match self {
            Expr::Answer(name) => names.push(name),
            Expr::Not(inner) | Expr::Negate(inner) => inner.collect_references(names),
            Expr::Binary(left, _, right) => {
                left.collect_references(names);
                right.collect_references(names);
            }
            Expr::Call(_, args) => args.iter().for_each(|arg| arg.collect_references(names)),
            Expr::Literal(_) | Expr::Current => {}
        }
    }

    pub fn eval(&self, env: &dyn Env) -> Value {
        match self {
            Expr::Literal(value) => value.clone(),
            Expr::Answer(name) => env.answer(name),
            Expr::Current => env.current(),
            Expr::Not(inner) => Value::Bool(!inner.eval(env).truthy()),
            Expr::Negate(inner) => match inner.eval(env).as_number() {
                Some(n) => Value::Number(-n),
                None => Value::Null,
            },
            Expr::Binary(left, op, right) => binary(*op, left, right, env),
            Expr::Call(function, args) => call(*function, args, env),
        }
    }

    pub fn is_true(&self, env: &dyn Env) -> bool {
        self.eval(env).truthy()
    }
}

fn binary(op: BinaryOp, left: &Expr, right: &Expr, env: &dyn Env) -> Value {
    use BinaryOp::*;
    match op {
        Or => Value::Bool(left.is_true(env) || right.is_true(env)),
        And => Value::Bool(left.is_true(env) && right.is_true(env)),
        Eq | Ne | Lt | Le | Gt | Ge => Value::Bool(compare(op, &left.eval(env), &right.eval(env))),
        Add | Sub | Mul | Div | Mod => match (left.eval(env).as_number(), right.eval(env).as_number()) {
            (Some(a), Some(b)) => {
                let n = match op {
                    Add => a + b,
                    Sub => a - b,
                    Mul => a * b,
                    Div => a / b,
                    _ => a % b,
                };
                if n.is_finite() {
                    Value::Number(n)
                } else {
                    Value::Null
                }
            }
            _ => Value::Null,
        },
    }
}

fn compare(op: BinaryOp, left: &Value, right: &Value) -> bool {
    use std::cmp::Ordering;
    let is_empty = |v: &Value| matches!(v, Value::Null) || matches!(v, Value::Text(t) if t.is_empty());
    if matches!(left, Value::Null) || matches!(right, Value::Null) {
        let both_empty = is_empty(left) && is_empty(right);
        return match op {
            BinaryOp::Eq => both_empty,
            BinaryOp::Ne => !both_empty,
            _ => false,
        };
    }
    let ordering = match (left, right) {
        (Value::Number(_), _) | (_, Value::Number(_)) => match (left.as_number(), right.as_number()) {
            (Some(a), Some(b)) => a.partial_cmp(&b),
            _ => None,
        },
        _ => Some(left.as_text().cmp(&right.as_text())),
    };
    match (op, ordering) {
        (BinaryOp::Eq, o) => o == Some(Ordering::Equal),
        (BinaryOp::Ne, o) => o != Some(Ordering::Equal),
        (_, None) => false,
        (BinaryOp::Lt, Some(o)) => o == Ordering::Less,
        (BinaryOp::Le, Some(o)) => o != Ordering::Greater,
        (BinaryOp::Gt, Some(o)) => o == Ordering::Greater,
        (BinaryOp::Ge, Some(o)) => o != Ordering::Less,
        _ => false,
    }
}

fn call(function: Function, args: &[Expr], env: &dyn Env) -> Value {
    match function {
        Function::Selected => {
            let wanted = args[1].eval(env).as_text();
            Value::Bool(match args[0].eval(env) {
                Value::List(items) => items.contains(&wanted),
                Value::Null => false,
                other => other.as_text() == wanted,
            })
        }
        Function::CountSelected => Value::Number(match args[0].eval(env) {
            Value::List(items) => items.len() as f64,
            Value::Null => 0.0,
            _ => 1.0,
        }),
        Function::StringLength => Value::Number(args[0].eval(env).as_text().chars().count() as f64),
        Function::If => {
            if args[0].is_true(env) {
                args[1].eval(env)
            } else {
                args[2].eval(env)
            }
        }
        Function::Today => Value::Text(env.today()),
        Function::True => Value::Bool(true),
        Function::False => Value::Bool(false),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(f64),
    Text(String),
    Reference(String),
    Dot,
    Name(String),
    LParen,
    RParen,
    Comma,
    Op(&'static str),
}

impl Token {
    fn describe(&self) -> String {
        match self {
            Token::Number(n) => format!("number {}", format_number(*n)),
            Token::Text(t) => format!("text '{t}'"),
            Token::Reference(r) => format!("${{{r}}}"),
            Token::Dot => "'.'".into(),
            Token::Name(n) => format!("'{n}'"),
            Token::LParen => "'('".into(),
            Token::RParen => "')'".into(),
            Token::Comma => "','".into(),
            Token::Op(op) => format!("'{op}'"),
        }
    }
}

fn tokenize(source: &str) -> Result<Vec<(Token, usize)>, ParseError> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let error = |position: usize, message: String| ParseError { position: position + 1, message };
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                i += 1;
                continue;
            }
            '(' => tokens.push((Token::LParen, start)),
            ')' => tokens.push((Token::RParen, start)),
            ',' => tokens.push((Token::Comma, start)),
            '+' => tokens.push((Token::Op("+"), start)),
            '-' => tokens.push((Token::Op("-"), start)),
            '*' => tokens.push((Token::Op("*"), start)),
            '=' => tokens.push((Token::Op("="), start)),
            '!' | '<' | '>' => {
                let two = chars.get(i + 1) == Some(&'=');
                let op = match (c, two) {
                    ('!', true) => "!=",
                    ('<', true) => "<=",
                    ('>', true) => ">=",
                    ('<', false) => "<",
                    ('>', false) => ">",
                    _ => return Err(error(start, "'!' must be followed by '=' (use not(...) to negate)".into())),
                };
                if two {
                    i += 1;
                }
                tokens.push((Token::Op(op), start));
            }
            '\'' | '"' => {
                let end = chars[i + 1..]
                    .iter()
                    .position(|&d| d == c)
                    .ok_or_else(|| error(start, "text is not closed with a matching quote".into()))?;
                tokens.push((Token::Text(chars[i + 1..i + 1 + end].iter().collect()), start));
                i += end + 1;
            }
            '$' => {
                if chars.get(i + 1) != Some(&'{') {
                    return Err(error(start, "'$' must start a reference like ${question_id}".into()));
                }
                let end =
                    chars[i + 2..].iter().position(|&d| d == '}').ok_or_else(|| error(start, "reference is not closed with '}'".into()))?;
                let name: String = chars[i + 2..i + 2 + end].iter().collect();
                if name.is_empty() || !name.chars().all(|d| d.is_alphanumeric() || d == '_' || d == '-') {
                    return Err(error(start, format!("'{name}' is not a question id")));
                }
                tokens.push((Token::Reference(name), start));
                i += end + 2;
            }
            '0'..='9' | '.' => {
                let mut end = i;
                while end < chars.len() && (chars[end].is_ascii_digit() || chars[end] == '.') {
                    end += 1;
                }
                let text: String = chars[i..end].iter().collect();
                if text == "." {
                    tokens.push((Token::Dot, start));
                } else {
                    let number = text.parse().map_err(|_| error(start, format!("'{text}' is not a number")))?;
                    tokens.push((Token::Number(number), start));
                }
                i = end;
                continue;
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut end = i;
                while end < chars.len() && (chars[end].is_alphanumeric() || chars[end] == '_' || chars[end] == '-') {
                    end += 1;
                }
                let name: String = chars[i..end].iter().collect();
                let token = match name.as_str() {
                    "and" => Token::Op("and"),
                    "or" => Token::Op("or"),
                    "div" => Token::Op("div"),
                    "mod" => Token::Op("mod"),
                    _ => Token::Name(name),
                };
                tokens.push((token, start));
                i = end;
                continue;
            }
            other => return Err(error(start, format!("unexpected character '{other}'"))),
        }
        i += 1;
    }
    Ok(tokens.into_iter().map(|(token, position)| (token, position + 1)).collect())
}

struct Parser {
    tokens: Vec<(Token, usize)>,
    next: usize,
    /// Position just past the end, for "expected ... at the end" errors.
    end: usize,
    /// Levels of nesting entered (see [`Parser::nested`]).
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<(Token, usize)> {
        self.tokens.get(self.next).cloned()
    }

    fn position(&self) -> usize {
        self.tokens.get(self.next).map_or(self.end, |(_, p)| *p)
    }

    fn eat_op(&mut self, ops: &[&'static str]) -> Option<&'static str> {
        match self.tokens.get(self.next) {
            Some((Token::Op(op), _)) if ops.contains(op) => {
                self.next += 1;
                Some(op)
            }
            _ => None,
        }
    }

    fn expect(&mut self, wanted: Token, what: &str) -> Result<(), ParseError> {
        match self.peek() {
            Some((token, _)) if token == wanted => {
                self.next += 1;
                Ok(())
            }
            Some((token, position)) => Err(ParseError { position, message: format!("expected {what}, found {}", token.describe()) }),
            None => Err(ParseError { position: self.end, message: format!("expected {what} at the end") }),
        }
    }

    fn binary_level(&mut self, ops: &[&'static str], operand: fn(&mut Parser) -> Result<Expr, ParseError>) -> Result<Expr, ParseError> {
        let mut left = operand(self)?;
        while let Some(op) = self.eat_op(ops) {
            let right = operand(self)?;
            left = Expr::Binary(Box::new(left), op_from(op), Box::new(right));
        }
        Ok(left)
    }

    fn or(&mut self) -> Result<Expr, ParseError> {
        self.binary_level(&["or"], Parser::and)
    }

    fn and(&mut self) -> Result<Expr, ParseError> {
        self.binary_level(&["and"], Parser::comparison)
    }

    fn comparison(&mut self) -> Result<Expr, ParseError> {
        let left = self.sum()?;
        if let Some(op) = self.eat_op(&["=", "!=", "<", "<=", ">", ">="]) {
            let right = self.sum()?;
            return Ok(Expr::Binary(Box::new(left), op_from(op), Box::new(right)));
        }
        Ok(left)
    }

    fn sum(&mut self) -> Result<Expr, ParseError> {
        self.binary_level(&["+", "-"], Parser::product)
    }

    fn product(&mut self) -> Result<Expr, ParseError> {
        self.binary_level(&["*", "div", "mod"], Parser::unary)
    }

    /// Runs `parse` one nesting level deeper, or refuses past
    /// [`MAX_EXPRESSION_DEPTH`] at the position where the level starts.
    fn nested(&mut self, position: usize, parse: impl FnOnce(&mut Parser) -> Result<Expr, ParseError>) -> Result<Expr, ParseError> {
        if self.depth == MAX_EXPRESSION_DEPTH {
            return Err(ParseError { position, message: format!("the expression is nested more than {MAX_EXPRESSION_DEPTH} levels deep") });
        }
        self.depth += 1;
        let parsed = parse(self);
        self.depth -= 1;
        parsed
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        let position = self.position();
        if self.eat_op(&["-"]).is_some() {
            return self.nested(position, |parser| Ok(Expr::Negate(Box::new(parser.unary()?))));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, ParseError> {
        let position = self.position();
        let Some((token, _)) = self.peek() else {
            return Err(ParseError { position, message: "expected a value at the end".into() });
        };
        self.next += 1;
        match token {
            Token::Number(n) => Ok(Expr::Literal(Value::Number(n))),
            Token::Text(t) => Ok(Expr::Literal(Value::Text(t))),
            Token::Reference(name) => Ok(Expr::Answer(name)),
            Token::Dot => Ok(Expr::Current),
            Token::LParen => self.nested(position, |parser| {
                let inner = parser.or()?;
                parser.expect(Token::RParen, "')'")?;
                Ok(inner)
            }),
            Token::Name(name) if name == "not" => self.nested(position, |parser| {
                parser.expect(Token::LParen, "'(' after not")?;
                let inner = parser.or()?;
                parser.expect(Token::RParen, "')'")?;
                Ok(Expr::Not(Box::new(inner)))
            }),
            Token::Name(name) => {
                let (function, arity) = Function::by_name(&name).ok_or_else(|| ParseError {
                    position,
                    message: format!("unknown function '{name}' (refer to answers as ${{{name}}})"),
                })?;
                self.nested(position, |parser| {
                    parser.expect(Token::LParen, &format!("'(' after {name}"))?;
                    let mut args = Vec::new();
                    if !matches!(parser.peek(), Some((Token::RParen, _))) {
                        args.push(parser.or()?);
                        while matches!(parser.peek(), Some((Token::Comma, _))) {
                            parser.next += 1;
                            args.push(parser.or()?);
                        }
                    }
                    parser.expect(Token::RParen, "')'")?;
                    if args.len() != arity {
                        return Err(ParseError { position, message: format!("{name}() takes {arity} argument(s), not {}", args.len()) });
                    }
                    Ok(Expr::Call(function, args))
                })
            }
            other => Err(ParseError { position, message: format!("unexpected {}", other.describe()) }),
        }
    }
}

fn op_from(op: &str) -> BinaryOp {
    match op {
        "or" => BinaryOp::Or,
        "and" => BinaryOp::And,
        "=" => BinaryOp::Eq,
        "!=" => BinaryOp::Ne,
        "<" => BinaryOp::Lt,
        "<=" => BinaryOp::Le,
        ">" => BinaryOp::Gt,
        ">=" => BinaryOp::Ge,
        "+" => BinaryOp::Add,
        "-" => BinaryOp::Sub,
        "*" => BinaryOp::Mul,
        "div" => BinaryOp::Div,
        _ => BinaryOp::Mod,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct TestEnv {
        answers: HashMap<&'static str, Value>,
        current: Value,
    }

    impl Env for TestEnv {
        fn answer(&self, id: &str) -> Value {
            self.answers.get(id).cloned().unwrap_or(Value::Null)
        }
        fn current(&self) -> Value {
            self.current.clone()
        }
        fn today(&self) -> String {
            "2026-11-28".into()
        }
    }

    fn env() -> TestEnv {
        TestEnv {
            answers: HashMap::from([
                ("size", Value::Number(3.0)),
                ("tenure", Value::Text("tenant".into())),
                ("returned", Value::Bool(true)),
                ("codes", Value::List(vec!["green".into(), "red".into()])),
                ("until", Value::Text("2026-12-01".into())),
            ]),
            current: Value::Number(36.6),
        }
    }

    fn eval(source: &str) -> Value {
        Expr::parse(source).unwrap_or_else(|e| panic!("{source}: {e}")).eval(&env())
    }

    #[test]
    fn arithmetic_and_comparison_follow_precedence() {
        assert_eq!(eval("1 + 2 * 3"), Value::Number(7.0));
        assert_eq!(eval("(1 + 2) * 3"), Value::Number(9.0));
        assert_eq!(eval("7 mod 4 + 10 div 4"), Value::Number(5.5));
        assert_eq!(eval("-${size} + 1"), Value::Number(-2.0));
        assert_eq!(eval("${size} >= 1 and ${size} <= 20"), Value::Bool(true));
        assert_eq!(eval("${size} > 3 or ${tenure} = 'tenant'"), Value::Bool(true));
        assert_eq!(eval(". >= 35 and . <= 43"), Value::Bool(true));
    }

    #[test]
    fn answers_of_each_kind_compare_as_form_authors_expect() {
        assert_eq!(eval("${returned} = 'yes'"), Value::Bool(true));
        assert_eq!(eval("selected(${codes}, 'red')"), Value::Bool(true));
        assert_eq!(eval("selected(${codes}, 'orange')"), Value::Bool(false));
        assert_eq!(eval("count-selected(${codes})"), Value::Number(2.0));
        assert_eq!(eval("${until} >= today()"), Value::Bool(true));
        assert_eq!(eval("not(${tenure} = 'owner')"), Value::Bool(true));
        assert_eq!(eval("string-length(${tenure})"), Value::Number(6.0));
        assert_eq!(eval("if(${size} > 2, 'big', 'small')"), Value::Text("big".into()));
        assert_eq!(eval("'10' = 10"), Value::Bool(true));
    }

    #[test]
    fn unanswered_equals_empty_and_never_orders() {
        assert_eq!(eval("${missing} = ''"), Value::Bool(true));
        assert_eq!(eval("${missing} != ''"), Value::Bool(false));
        assert_eq!(eval("${missing} = 'x'"), Value::Bool(false));
        assert_eq!(eval("${missing} != 'x'"), Value::Bool(true));
        assert_eq!(eval("${missing} < 5"), Value::Bool(false));
        assert_eq!(eval("${missing} >= 5"), Value::Bool(false));
        assert_eq!(eval("${missing} + 1"), Value::Null);
    }

    #[test]
    fn references_are_listed_in_order() {
        let expr = Expr::parse("${a} > 1 and selected(${b}, 'x') or not(${c} = .)").unwrap();
        assert_eq!(expr.references(), vec!["a", "b", "c"]);
    }

    #[test]
    fn parse_errors_name_the_position() {
        let cases = [
            ("${size} >", 10, "expected a value at the end"),
            ("${size} > > 3", 11, "unexpected '>'"),
            ("'open", 1, "not closed"),
            ("${size", 1, "not closed"),
            ("size > 3", 1, "unknown function 'size'"),
            ("selected(${a})", 1, "takes 2 argument(s), not 1"),
            ("(1 + 2", 7, "expected ')' at the end"),
            ("1 ! 2", 3, "'!' must be followed by '='"),
            ("3 # 4", 3, "unexpected character '#'"),
            ("1 2", 3, "unexpected number 2"),
            ("${a b} = 1", 1, "is not a question id"),
        ];
        for (source, position, message) in cases {
            let error = Expr::parse(source).expect_err(source);
            assert_eq!(error.position, position, "{source}: {error}");
            assert!(error.message.contains(message), "{source}: {error}");
        }
    }

    #[test]
    fn nesting_and_length_are_bounded_without_recursing_past_them() {
        // What crashed the server: 50,000 nested parentheses.
        let hostile = format!("{}1{}", "(".repeat(50_000), ")".repeat(50_000));
        let error = Expr::parse(&hostile).unwrap_err();
        assert!(error.message.contains("at most 2000"), "{error}");
        for opener in ["(", "not(", "if(1, 2, ", "-"] {
            let deep = |levels: usize| {
                let closer = if opener == "-" { "" } else { ")" };
                format!("{}1{}", opener.repeat(levels), closer.repeat(levels))
            };
            assert!(Expr::parse(&deep(MAX_EXPRESSION_DEPTH)).is_ok(), "{opener}: the limit itself is fine");
            let error = Expr::parse(&deep(MAX_EXPRESSION_DEPTH + 1)).unwrap_err();
            assert!(error.message.contains("nested more than 32 levels"), "{opener}: {error}");
            assert_eq!(error.position, 1 + opener.len() * MAX_EXPRESSION_DEPTH, "{opener}: the level that is one too many");
        }
        // A long flat expression is fine: operators at one level loop, not recurse.
        let flat = vec!["1"; 900].join("+");
        assert_eq!(eval(&flat), Value::Number(900.0));
    }
}
