//! A small XML writer for EC2's answers.

pub(crate) struct Xml(String);

impl Xml {
    pub(crate) fn new() -> Xml {
        Xml(String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"))
    }

    /// A fragment, without the XML declaration.
    pub(crate) fn fragment() -> Xml {
        Xml(String::new())
    }

    pub(crate) fn open(&mut self, tag: &str) {
        self.0.push('<');
        self.0.push_str(tag);
        self.0.push('>');
    }

    pub(crate) fn open_ns(&mut self, tag: &str, namespace: &str) {
        self.0.push_str(&format!("<{tag} xmlns=\"{namespace}\">"));
    }

    pub(crate) fn close(&mut self, tag: &str) {
        self.0.push_str("</");
        self.0.push_str(tag);
        self.0.push('>');
    }

    pub(crate) fn leaf(&mut self, tag: &str, text: &str) {
        self.open(tag);
        escape_into(&mut self.0, text);
        self.close(tag);
    }

    pub(crate) fn raw(&mut self, text: &str) {
        self.0.push_str(text);
    }

    pub(crate) fn finish(self) -> String {
        self.0
    }
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        let mut out = Xml::fragment();
        out.leaf("a", "<b & 'c'>");
        assert_eq!(out.finish(), "<a>&lt;b &amp; &apos;c&apos;&gt;</a>");
    }
}
