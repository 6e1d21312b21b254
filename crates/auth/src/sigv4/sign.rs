//! Signing, for Berth's own clients (benchmarks, tools): the same canonical request the verifier
//! recomputes, signed the way the AWS CLI does (content-type, host, x-amz-date, x-amz-target and
//! whatever else the caller passes).

use sha2::{Digest, Sha256};

use super::canonical::{canonical_request, signing_key, string_to_sign};
use super::date;

/// The headers to add to a `POST /` request so that it is signed: `x-amz-date` and
/// `authorization`. `headers` are the headers to sign (names in lowercase, `host` among them).
pub fn sign_post(
    headers: &[(String, String)],
    body: &[u8],
    access_key_id: &str,
    secret: &str,
    region: &str,
    now_epoch: i64,
) -> Vec<(String, String)> {
    sign_post_for(super::SERVICE, headers, body, access_key_id, secret, region, now_epoch)
}

/// [`sign_post`] for another service's signing name (`ec2`, ...).
pub fn sign_post_for(
    service: &str,
    headers: &[(String, String)],
    body: &[u8],
    access_key_id: &str,
    secret: &str,
    region: &str,
    now_epoch: i64,
) -> Vec<(String, String)> {
    let amz_date = date::format(now_epoch);
    let day = &amz_date[..8];
    let mut all: Vec<(String, String)> = headers.to_vec();
    all.push(("x-amz-date".to_owned(), amz_date.clone()));
    let mut names: Vec<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let signed_headers = names.join(";");
    let payload = hex::encode(Sha256::digest(body));
    let canonical = canonical_request("POST", "/", "", &all, &signed_headers, &payload)
        .expect("every signed header is among the headers");
    let scope = format!("{day}/{region}/{service}/aws4_request");
    let key = signing_key(secret, day, region, service);
    let to_sign = string_to_sign(&amz_date, &scope, &canonical);
    let signature = super::canonical::signature_hex(&key, &to_sign);
    vec![
        ("x-amz-date".to_owned(), amz_date),
        (
            "authorization".to_owned(),
            format!(
                "{} Credential={access_key_id}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
                super::authorization::ALGORITHM
            ),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SignedRequest, verify};

    #[test]
    fn what_it_signs_verifies() {
        let config = crate::config::parse(
            "[[users]]\nname = \"a\"\n[[users.keys]]\naccess-key-id = \"AKIDSIGN\"\nsecret-access-key = \"s3cret\"\n",
            "000000000000",
        )
        .unwrap();
        let body = br#"{"maxResults": 1}"#;
        let mut headers = vec![
            ("content-type".to_owned(), "application/x-amz-json-1.1".to_owned()),
            ("host".to_owned(), "127.0.0.1:8760".to_owned()),
            (
                "x-amz-target".to_owned(),
                "AmazonEC2ContainerServiceV20141113.ListClusters".to_owned(),
            ),
        ];
        let now = 1_795_264_200;
        headers.extend(sign_post(&headers, body, "AKIDSIGN", "s3cret", "us-east-1", now));
        let request =
            SignedRequest { method: "POST", path: "/", query: "", headers: &headers, body };
        assert_eq!(verify(&request, &config, "us-east-1", now).unwrap().access_key_id, "AKIDSIGN");
        let tampered = SignedRequest { body: br#"{"maxResults": 2}"#, ..request };
        assert!(verify(&tampered, &config, "us-east-1", now).is_err());
    }
}
