//! Lines stay lines: the blocks that the sanitiser does not keep (`<div>`, `<section>`,
//! `<h1>`, …) become paragraphs, loose text between blocks is put in a paragraph, and
//! plain text keeps its line breaks. Issue 13, item 2: Chromium writes a `<div>` per line
//! typed in a contenteditable (the first line loose), which otherwise ran together.
//!
//! This works on ammonia's output, which is well-formed (every element closed, attribute
//! values double-quoted with `"` escaped, `<` escaped in text, no comments), so a small
//! tree reader is enough; the result goes through ammonia again.

/// Blocks that are turned into paragraphs (or unwrapped when they hold blocks).
pub const LINE_TAGS: &[&str] = &[
    "div", "section", "article", "header", "footer", "main", "aside", "nav", "address", "center",
    "pre", "dl", "dt", "dd", "h1", "h5", "h6", "details", "summary",
];

/// Kept blocks whose content is inline (a line inside becomes a line break).
const INLINE_BLOCKS: &[&str] = &["p", "h2", "h3", "h4", "caption", "figcaption"];
/// Kept blocks that may hold paragraphs; loose text in them is left as it is unless it
/// sits next to a block (a list item of one line needs no paragraph).
const FLOW_BLOCKS: &[&str] = &["li", "td", "th", "blockquote"];
/// Kept blocks made of other blocks (rows, items, an image and its caption).
const GROUP_BLOCKS: &[&str] = &[
    "ul", "ol", "table", "thead", "tbody", "tfoot", "tr", "hr", "figure",
];
const VOID: &[&str] = &["br", "img", "hr"];

#[derive(Debug, Clone)]
enum Node {
    /// Escaped text, as ammonia wrote it.
    Text(String),
    Element {
        name: String,
        /// The attributes as ammonia wrote them (` href="…"`), kept verbatim.
        attrs: String,
        children: Vec<Node>,
    },
}

impl Node {
    fn element(name: &str, children: Vec<Node>) -> Node {
        Node::Element {
            name: name.into(),
            attrs: String::new(),
            children,
        }
    }

    fn name(&self) -> Option<&str> {
        match self {
            Node::Element { name, .. } => Some(name),
            Node::Text(_) => None,
        }
    }

    fn is(&self, tag: &str) -> bool {
        self.name() == Some(tag)
    }

    /// Whether it shows something: text other than spaces, or an image.
    fn has_content(&self) -> bool {
        match self {
            Node::Text(t) => !t.replace("&nbsp;", " ").trim().is_empty(),
            Node::Element { name, children, .. } => {
                name == "img" || children.iter().any(Node::has_content)
            }
        }
    }

    fn is_block(&self) -> bool {
        self.name().is_some_and(|n| {
            LINE_TAGS.contains(&n)
                || INLINE_BLOCKS.contains(&n)
                || FLOW_BLOCKS.contains(&n)
                || GROUP_BLOCKS.contains(&n)
        })
    }
}

/// Restructures sanitised HTML so that no line is lost (see the module comment).
pub fn keep_lines(html: &str) -> String {
    let nodes = parse(html);
    // Text without any block markup (typed in the plain box without JavaScript): its line
    // breaks are the author's. In HTML they are only spaces.
    let plain = !nodes.iter().any(has_block);
    let items = expand(nodes, plain, true);
    let mut out = String::with_capacity(html.len() + 16);
    for n in group(items, Wrap::Always) {
        write(&n, &mut out);
    }
    out
}

fn has_block(n: &Node) -> bool {
    match n {
        Node::Text(_) => false,
        Node::Element { children, .. } => n.is_block() || children.iter().any(has_block),
    }
}

/// When loose inline content of a flow is put in paragraphs.
#[derive(Clone, Copy, PartialEq)]
enum Wrap {
    /// Always (the page, a blockquote, what was a div).
    Always,
    /// Only when it sits next to a block (a list item, a table cell).
    Mixed,
    /// Never (a list, a table row, a figure: what is between their parts is spaces).
    Never,
}

/// A piece of a flow of blocks: inline content, a block, or a paragraph break (a blank
/// line in plain text).
enum Item {
    Inline(Node),
    Block(Node),
    Break,
}

/// The items of some content of a flow (the page, a blockquote, a div, a list item…).
/// `top`: plain text here splits into paragraphs at blank lines.
fn expand(nodes: Vec<Node>, plain: bool, top: bool) -> Vec<Item> {
    let mut items = Vec::new();
    for n in nodes {
        match n {
            Node::Text(t) if plain => text_lines(&t, top, &mut items),
            Node::Text(t) => items.push(Item::Inline(Node::Text(t))),
            Node::Element {
                name,
                attrs,
                children,
            } => items.extend(element(name, attrs, children, plain)),
        }
    }
    items
}

/// Plain text: a line break is a `<br>`, a blank line (at the top) ends a paragraph.
fn text_lines(t: &str, top: bool, items: &mut Vec<Item>) {
    let mut blank = false;
    for (i, line) in t.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if i > 0 {
            if line.trim().is_empty() && top {
                blank = true;
                continue;
            }
            items.push(if blank { Item::Break } else { br() });
            blank = false;
        }
        if !line.is_empty() {
            items.push(Item::Inline(Node::Text(line.into())));
        }
    }
    if blank {
        items.push(Item::Break);
    }
}

fn br() -> Item {
    Item::Inline(Node::element("br", Vec::new()))
}

fn element(name: String, attrs: String, children: Vec<Node>, plain: bool) -> Vec<Item> {
    let n = name.as_str();
    if LINE_TAGS.contains(&n) {
        // Inside `pre` a line break is one.
        let items = expand(children, plain || n == "pre", false);
        return if items.iter().any(|i| matches!(i, Item::Block(_))) {
            group(items, Wrap::Always)
                .into_iter()
                .map(Item::Block)
                .collect()
        } else {
            paragraph(items).map(Item::Block).into_iter().collect()
        };
    }
    if INLINE_BLOCKS.contains(&n) {
        let children = inline(children, plain);
        if n == "p" && !children.iter().any(Node::has_content) {
            return Vec::new(); // an empty line
        }
        return vec![Item::Block(Node::Element {
            name,
            attrs,
            children,
        })];
    }
    if FLOW_BLOCKS.contains(&n) {
        let wrap = if n == "blockquote" {
            Wrap::Always
        } else {
            Wrap::Mixed
        };
        let children = group(expand(children, plain, false), wrap);
        return vec![Item::Block(Node::Element {
            name,
            attrs,
            children,
        })];
    }
    if GROUP_BLOCKS.contains(&n) {
        let children = group(expand(children, plain, false), Wrap::Never);
        return vec![Item::Block(Node::Element {
            name,
            attrs,
            children,
        })];
    }
    inline_element(name, attrs, expand(children, plain, false))
}

/// An inline element (strong, a, img, br…) over its content's items. Formatting around
/// several lines goes on each line.
fn inline_element(name: String, attrs: String, items: Vec<Item>) -> Vec<Item> {
    if !items.iter().any(|i| matches!(i, Item::Block(_))) {
        let children = items.into_iter().filter_map(inline_node).collect();
        return vec![Item::Inline(Node::Element {
            name,
            attrs,
            children,
        })];
    }
    group(items, Wrap::Always)
        .into_iter()
        .map(|b| match b {
            Node::Element {
                name: p,
                attrs: pa,
                children: pc,
            } if p == "p" => Item::Block(Node::Element {
                name: p,
                attrs: pa,
                children: vec![Node::Element {
                    name: name.clone(),
                    attrs: attrs.clone(),
                    children: pc,
                }],
            }),
            other => Item::Block(other),
        })
        .collect()
}

fn inline_node(i: Item) -> Option<Node> {
    match i {
        Item::Inline(n) | Item::Block(n) => Some(n),
        Item::Break => None,
    }
}

/// The content of a block that holds only inline content: a line inside it (a div)
/// becomes a line break before its content.
fn inline(children: Vec<Node>, plain: bool) -> Vec<Node> {
    let mut out: Vec<Node> = Vec::new();
    for n in children {
        match n {
            Node::Text(t) if plain => {
                for i in expand(vec![Node::Text(t)], true, false) {
                    out.extend(inline_node(i));
                }
            }
            Node::Text(_) => out.push(n),
            Node::Element {
                name,
                attrs,
                children,
            } => {
                if LINE_TAGS.contains(&name.as_str()) {
                    if out.iter().any(Node::has_content) {
                        out.push(Node::element("br", Vec::new()));
                    }
                    out.extend(inline(children, plain || name == "pre"));
                } else {
                    let children = inline(children, plain);
                    out.push(Node::Element {
                        name,
                        attrs,
                        children,
                    });
                }
            }
        }
    }
    out
}

/// Inline content as one paragraph, without line breaks at its ends; `None` when it
/// shows nothing (an empty line).
fn paragraph(items: Vec<Item>) -> Option<Node> {
    let mut run: Vec<Node> = items.into_iter().filter_map(inline_node).collect();
    while run.first().is_some_and(|n| n.is("br")) {
        run.remove(0);
    }
    while run.last().is_some_and(|n| n.is("br")) {
        run.pop();
    }
    run.iter()
        .any(Node::has_content)
        .then(|| Node::element("p", run))
}

/// The nodes of a flow: blocks as they are, each run of inline content between them a
/// paragraph (as `wrap` says). Runs of spaces stay as they are; runs of line breaks only
/// (empty lines) go.
fn group(items: Vec<Item>, wrap: Wrap) -> Vec<Node> {
    let blocks = items.iter().any(|i| matches!(i, Item::Block(_)));
    if wrap == Wrap::Never || (wrap == Wrap::Mixed && !blocks) {
        return items.into_iter().filter_map(inline_node).collect();
    }
    let mut out = Vec::new();
    let mut run: Vec<Item> = Vec::new();
    let flush = |run: &mut Vec<Item>, out: &mut Vec<Node>| {
        let items = std::mem::take(run);
        let spaces = items
            .iter()
            .all(|i| matches!(i, Item::Inline(Node::Text(_))));
        if spaces
            && !items
                .iter()
                .any(|i| matches!(i, Item::Inline(n) if n.has_content()))
        {
            out.extend(items.into_iter().filter_map(inline_node));
        } else {
            out.extend(paragraph(items));
        }
    };
    for i in items {
        match i {
            Item::Inline(_) => run.push(i),
            Item::Break => flush(&mut run, &mut out),
            Item::Block(b) => {
                flush(&mut run, &mut out);
                out.push(b);
            }
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Reads ammonia's output into a tree. Never fails: a stray end tag is skipped, an
/// unclosed element ends with the input.
fn parse(html: &str) -> Vec<Node> {
    // (name, attrs, children) of the open elements; the first is the document.
    let mut stack: Vec<(String, String, Vec<Node>)> =
        vec![(String::new(), String::new(), Vec::new())];
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push(&mut stack, Node::Text(rest.into()));
            break;
        };
        if lt > 0 {
            push(&mut stack, Node::Text(rest[..lt].into()));
        }
        let tag = &rest[lt + 1..];
        let end = tag_end(tag);
        let inner = &tag[..end];
        rest = tag.get(end + 1..).unwrap_or_default();
        if let Some(name) = inner.strip_prefix('/') {
            let name = name.trim().to_ascii_lowercase();
            if let Some(at) = stack.iter().rposition(|(n, _, _)| *n == name) {
                while stack.len() > at.max(1) {
                    close(&mut stack);
                }
            }
            continue;
        }
        let split = inner
            .find(|c: char| c.is_ascii_whitespace() || c == '/')
            .unwrap_or(inner.len());
        let name = inner[..split].to_ascii_lowercase();
        let attrs = inner[split..].trim_end_matches('/').to_string();
        if name.is_empty() {
            continue;
        }
        if VOID.contains(&name.as_str()) {
            push(
                &mut stack,
                Node::Element {
                    name,
                    attrs,
                    children: Vec::new(),
                },
            );
        } else {
            stack.push((name, attrs, Vec::new()));
        }
    }
    while stack.len() > 1 {
        close(&mut stack);
    }
    stack.pop().map(|(_, _, c)| c).unwrap_or_default()
}

/// Where a tag's `>` is (outside quoted attribute values), or the end of the input.
fn tag_end(tag: &str) -> usize {
    let mut quoted = false;
    for (i, c) in tag.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '>' if !quoted => return i,
            _ => {}
        }
    }
    tag.len()
}

fn push(stack: &mut [(String, String, Vec<Node>)], n: Node) {
    if let Some(top) = stack.last_mut() {
        top.2.push(n);
    }
}

fn close(stack: &mut Vec<(String, String, Vec<Node>)>) {
    if let Some((name, attrs, children)) = stack.pop() {
        push(
            stack,
            Node::Element {
                name,
                attrs,
                children,
            },
        );
    }
}

fn write(n: &Node, out: &mut String) {
    match n {
        Node::Text(t) => out.push_str(t),
        Node::Element {
            name,
            attrs,
            children,
        } => {
            out.push('<');
            out.push_str(name);
            out.push_str(attrs);
            out.push('>');
            if !VOID.contains(&name.as_str()) {
                for c in children {
                    write(c, out);
                }
                out.push_str("</");
                out.push_str(name);
                out.push('>');
            }
        }
    }
}
