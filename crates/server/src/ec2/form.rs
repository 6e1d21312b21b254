//! EC2's form parameters: flat names where lists are `Name.1`, `Name.2`, ... and structures
//! `Name.1.Member` (`Filter.1.Name`, `Filter.1.Value.1`, `IpPermissions.1.IpRanges.1.CidrIp`).

use std::collections::BTreeMap;

use super::Ec2Error;

pub(crate) struct Form(BTreeMap<String, String>);

/// One filter: a name and the values any of which may match.
pub(crate) struct Filter {
    pub(crate) name: String,
    pub(crate) values: Vec<String>,
}

impl Form {
    pub(crate) fn parse(body: &[u8]) -> Form {
        Form(form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// A string parameter that must be there and not empty.
    pub(crate) fn required(&self, name: &str) -> Result<&str, Ec2Error> {
        self.get(name).filter(|v| !v.is_empty()).ok_or_else(|| Ec2Error::missing(name))
    }

    pub(crate) fn flag(&self, name: &str) -> Result<bool, Ec2Error> {
        match self.get(name) {
            None => Ok(false),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
            Some(v) => Err(Ec2Error::invalid(format!(
                "Value ({v}) for parameter {name} is invalid. Expected a boolean."
            ))),
        }
    }

    pub(crate) fn int(&self, name: &str) -> Result<Option<i32>, Ec2Error> {
        self.get(name)
            .map(|v| {
                v.trim().parse::<i32>().map_err(|_| {
                    Ec2Error::invalid(format!(
                        "Value ({v}) for parameter {name} is invalid. Expected an integer."
                    ))
                })
            })
            .transpose()
    }

    /// The indexes `n` (in order) of a list `prefix.n...`.
    pub(crate) fn indexes(&self, prefix: &str) -> Vec<String> {
        let start = format!("{prefix}.");
        let mut found: Vec<(u64, String)> = self
            .0
            .range(start.clone()..)
            .take_while(|(k, _)| k.starts_with(&start))
            .filter_map(|(k, _)| {
                let n = k[start.len()..].split('.').next()?;
                Some((n.parse().ok()?, format!("{start}{n}")))
            })
            .collect();
        found.sort();
        found.dedup();
        found.into_iter().map(|(_, p)| p).collect()
    }

    /// The values of a list of strings `prefix.1`, `prefix.2`, ...
    pub(crate) fn list(&self, prefix: &str) -> Vec<String> {
        self.indexes(prefix).iter().filter_map(|p| self.get(p).map(str::to_owned)).collect()
    }

    /// `Filter.n.Name` and `Filter.n.Value.m`.
    pub(crate) fn filters(&self) -> Result<Vec<Filter>, Ec2Error> {
        self.indexes("Filter")
            .into_iter()
            .map(|p| {
                let name = self.get(&format!("{p}.Name")).unwrap_or_default().to_owned();
                if name.is_empty() {
                    return Err(Ec2Error::missing(&format!("{p}.Name")));
                }
                Ok(Filter { name, values: self.list(&format!("{p}.Value")) })
            })
            .collect()
    }
}

impl Filter {
    /// Whether `value` matches one of the filter's values (`*` and `?` are wildcards, as in
    /// EC2).
    pub(crate) fn matches(&self, value: &str) -> bool {
        self.values.iter().any(|pattern| wildcard(pattern, value))
    }
}

fn wildcard(pattern: &str, value: &str) -> bool {
    let (p, v): (Vec<char>, Vec<char>) = (pattern.chars().collect(), value.chars().collect());
    // matches[i][j]: p[..i] matches v[..j].
    let mut row = vec![false; v.len() + 1];
    row[0] = true;
    for &pc in &p {
        let mut next = vec![false; v.len() + 1];
        next[0] = row[0] && pc == '*';
        for j in 1..=v.len() {
            next[j] = match pc {
                '*' => next[j - 1] || row[j],
                '?' => row[j - 1],
                c => row[j - 1] && c == v[j - 1],
            };
        }
        row = next;
    }
    row[v.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_filters_come_in_index_order() {
        let form = Form::parse(
            b"Filter.2.Name=b&Filter.1.Name=a&Filter.1.Value.1=x&Filter.1.Value.2=y&Filter.10.Name=c&SubnetId.2=s2&SubnetId.1=s1",
        );
        let filters = form.filters().unwrap();
        let names: Vec<_> = filters.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!(filters[0].values, ["x", "y"]);
        assert_eq!(form.list("SubnetId"), ["s1", "s2"]);
    }

    #[test]
    fn filter_values_take_wildcards() {
        let filter = Filter { name: "n".into(), values: vec!["us-*-1?".into()] };
        assert!(filter.matches("us-east-1a"));
        assert!(!filter.matches("us-east-1"));
        assert!(!filter.matches("eu-west-1a"));
    }
}
