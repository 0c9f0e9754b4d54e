//! IP addresses and ranges, IPv4 and IPv6, for checking egress IPs against login IP ranges.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// An inclusive range of addresses of one family: a single address, a CIDR block or a
/// start–end range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    pub start: IpAddr,
    pub end: IpAddr,
    /// How it was written: `/len` for CIDR blocks.
    prefix: Option<u8>,
}

impl IpNet {
    pub fn range(start: IpAddr, end: IpAddr) -> Option<IpNet> {
        (start.is_ipv4() == end.is_ipv4() && key(start) <= key(end)).then_some(IpNet { start, end, prefix: None })
    }

    /// Whether every address of `self` lies within the union of `ranges`.
    pub fn covered_by(&self, ranges: &[IpNet]) -> bool {
        let mut spans: Vec<(u128, u128)> = ranges
            .iter()
            .filter(|r| r.start.is_ipv4() == self.start.is_ipv4())
            .map(|r| (key(r.start), key(r.end)))
            .collect();
        spans.sort();
        let (want_start, want_end) = (key(self.start), key(self.end));
        let mut reached = want_start; // the first address not yet known to be covered
        for (s, e) in spans {
            if s > reached {
                break;
            }
            if e >= reached {
                if e >= want_end {
                    return true;
                }
                reached = e + 1;
            }
        }
        false
    }
}

/// Blocks that are not public IPv4 address space: the IANA special-purpose registry
/// (RFC 6890 and successors): "this network", private (RFC 1918), shared (RFC 6598),
/// loopback, link-local, IETF protocol assignments, documentation, 6to4 relay, benchmarking,
/// multicast and the reserved 240/4 (with the broadcast address). No server on the internet
/// calls from them, so a login IP range over them lets no integration in or out.
const NOT_PUBLIC_V4: [&str; 15] = [
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "192.88.99.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "224.0.0.0/4",
    "240.0.0.0/4",
];

/// Public IPv6 space: global unicast, `2000::/3`, less the documentation blocks.
const PUBLIC_V6: &str = "2000::/3";
const NOT_PUBLIC_V6: [&str; 2] = ["2001:db8::/32", "3fff::/20"];

/// Ranges that cover at least this share of the public space, in hundredths, restrict
/// nothing an integration would notice: `0.0.0.0–255.255.255.255`, `1.0.0.0–…`, or all
/// but a few blocked addresses.
pub const UNRESTRICTED_PERCENT: u128 = 99;

/// Sorted, disjoint (start, end) key intervals of one family from `ranges`.
fn merged(ranges: &[IpNet], v4: bool) -> Vec<(u128, u128)> {
    let mut spans: Vec<(u128, u128)> =
        ranges.iter().filter(|r| r.start.is_ipv4() == v4).map(|r| (key(r.start), key(r.end))).collect();
    spans.sort();
    let mut out: Vec<(u128, u128)> = Vec::new();
    for (s, e) in spans {
        match out.last_mut() {
            Some(last) if s <= last.1.saturating_add(1) => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// The public address space of a family, as sorted disjoint intervals.
fn public_space(v4: bool) -> Vec<(u128, u128)> {
    let (whole, holes): ((u128, u128), Vec<IpNet>) = if v4 {
        ((0, u128::from(u32::MAX)), NOT_PUBLIC_V4.iter().filter_map(|s| s.parse().ok()).collect())
    } else {
        let all: IpNet = PUBLIC_V6.parse().expect("a valid block");
        ((key(all.start), key(all.end)), NOT_PUBLIC_V6.iter().filter_map(|s| s.parse().ok()).collect())
    };
    let mut out = Vec::new();
    let mut next = whole.0;
    for (s, e) in merged(&holes, v4) {
        if s > next {
            out.push((next, s - 1));
        }
        next = next.max(e.saturating_add(1));
    }
    if next <= whole.1 {
        out.push((next, whole.1));
    }
    out
}

/// How many public addresses of a family `ranges` cover, and how many there are.
pub fn public_coverage(ranges: &[IpNet], v4: bool) -> (u128, u128) {
    let public = public_space(v4);
    let total = public.iter().map(|(s, e)| e - s + 1).sum();
    let mut covered = 0;
    for (s, e) in merged(ranges, v4) {
        for (ps, pe) in &public {
            let (a, b) = (s.max(*ps), e.min(*pe));
            if a <= b {
                covered += b - a + 1;
            }
        }
    }
    (covered, total)
}

/// Whether `ranges` cover (nearly) all public addresses of a family: as a login
/// restriction, they restrict nothing.
pub fn covers_public(ranges: &[IpNet], v4: bool) -> bool {
    let (covered, total) = public_coverage(ranges, v4);
    // covered / total >= 99 %, without overflowing on IPv6 sizes.
    covered >= total - total / 100 * (100 - UNRESTRICTED_PERCENT)
}

fn key(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v4) => u128::from(u32::from(v4)),
        IpAddr::V6(v6) => u128::from(v6),
    }
}

fn from_key(k: u128, v4: bool) -> IpAddr {
    if v4 { IpAddr::V4((k as u32).into()) } else { IpAddr::V6(k.into()) }
}

impl FromStr for IpNet {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let Some((addr, len)) = s.split_once('/') else {
            let ip: IpAddr = s.parse().map_err(|_| "not an IP address".to_string())?;
            return Ok(IpNet { start: ip, end: ip, prefix: None });
        };
        let ip: IpAddr = addr.parse().map_err(|_| "not an IP address before `/`".to_string())?;
        let bits: u32 = if ip.is_ipv4() { 32 } else { 128 };
        let len: u32 =
            len.parse().ok().filter(|l| *l <= bits).ok_or_else(|| format!("the prefix length must be 0 to {bits}"))?;
        let host_bits = bits - len;
        let host_mask: u128 = if host_bits == 128 { u128::MAX } else { (1u128 << host_bits) - 1 };
        let start = key(ip) & !host_mask;
        let end = start | host_mask;
        Ok(IpNet { start: from_key(start, ip.is_ipv4()), end: from_key(end, ip.is_ipv4()), prefix: Some(len as u8) })
    }
}

impl fmt::Display for IpNet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.prefix {
            Some(len) => write!(f, "{}/{len}", self.start),
            None if self.start == self.end => write!(f, "{}", self.start),
            None => write!(f, "{}–{}", self.start, self.end),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(s: &str) -> IpNet {
        s.parse().unwrap()
    }

    fn range(a: &str, b: &str) -> IpNet {
        IpNet::range(a.parse().unwrap(), b.parse().unwrap()).unwrap()
    }

    #[test]
    fn cidr_blocks_normalize_to_their_network() {
        let n = net("198.51.100.77/24");
        assert_eq!((n.start.to_string(), n.end.to_string()), ("198.51.100.0".into(), "198.51.100.255".into()));
        let n = net("2001:db8::1/32");
        assert_eq!(
            (n.start.to_string(), n.end.to_string()),
            ("2001:db8::".into(), "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff".into())
        );
        assert_eq!(net("0.0.0.0/0").end.to_string(), "255.255.255.255");
        assert_eq!(net("::/0").end.to_string(), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
        assert!("10.0.0.0/33".parse::<IpNet>().is_err());
        assert!("10.0.0/8".parse::<IpNet>().is_err());
        assert!("example.org".parse::<IpNet>().is_err());
    }

    #[test]
    fn coverage_at_the_edges() {
        let ranges = [range("198.51.100.10", "198.51.100.15")];
        assert!(net("198.51.100.10").covered_by(&ranges));
        assert!(net("198.51.100.15").covered_by(&ranges));
        assert!(!net("198.51.100.16").covered_by(&ranges));
        assert!(!net("198.51.100.9").covered_by(&ranges));
        assert!(!net("198.51.100.8/29").covered_by(&ranges)); // .8–.15
        assert!(net("198.51.100.12/30").covered_by(&ranges)); // .12–.15
    }

    #[test]
    fn adjacent_ranges_cover_together() {
        let ranges = [range("10.0.0.128", "10.0.0.255"), range("10.0.0.0", "10.0.0.127")];
        assert!(net("10.0.0.0/24").covered_by(&ranges));
        let gap = [range("10.0.0.0", "10.0.0.126"), range("10.0.0.128", "10.0.0.255")];
        assert!(!net("10.0.0.0/24").covered_by(&gap));
    }

    #[test]
    fn families_never_cover_each_other() {
        let v4 = [range("0.0.0.0", "255.255.255.255")];
        assert!(!net("::ffff:1.2.3.4").covered_by(&v4));
        let v6 = [range("2001:db8::", "2001:db8::ffff")];
        assert!(net("2001:db8::10").covered_by(&v6));
        assert!(!net("2001:db8::1:0").covered_by(&v6));
        assert!(!net("1.2.3.4").covered_by(&v6));
    }

    #[test]
    fn ranges_must_be_ordered_and_of_one_family() {
        assert!(IpNet::range("10.0.0.2".parse().unwrap(), "10.0.0.1".parse().unwrap()).is_none());
        assert!(IpNet::range("10.0.0.1".parse().unwrap(), "::1".parse().unwrap()).is_none());
    }

    #[test]
    fn public_space_excludes_private_and_reserved_blocks() {
        let (_, total) = public_coverage(&[], true);
        // 2^32 less the special-purpose blocks (multicast and 240/4 alone are 2^29).
        assert_eq!(total, 3_702_258_432);
        assert_eq!(public_coverage(&[range("10.0.0.0", "10.255.255.255")], true).0, 0);
        assert_eq!(public_coverage(&[range("8.8.8.0", "8.8.8.255")], true).0, 256);
        let (_, v6) = public_coverage(&[], false);
        assert_eq!(v6, (1u128 << 125) - (1u128 << 96) - (1u128 << 108));
    }

    #[test]
    fn ranges_that_cover_the_public_space_restrict_nothing() {
        // Seen on real profiles, often on Admin.
        for all in [
            vec![range("0.0.0.0", "255.255.255.255")],
            vec![range("1.0.0.0", "255.255.255.255")],
            vec![range("1.1.1.1", "255.255.255.255")],
            vec![range("0.0.0.1", "225.225.245.244"), range("0.0.0.2", "222.222.222.222")],
            // All but a few blocked addresses.
            vec![range("0.0.0.0", "52.90.244.112"), range("52.90.244.114", "255.255.255.255")],
            // Pieces that only cover it together.
            vec![range("0.0.0.0", "127.255.255.255"), range("128.0.0.0", "255.255.255.255")],
        ] {
            assert!(covers_public(&all, true), "{all:?}");
        }
        for some in [
            vec![range("203.0.113.0", "203.0.113.255")],
            vec![range("10.0.0.0", "10.255.255.255")],
            vec![range("0.0.0.0", "127.255.255.255")],
            // 97 % of it.
            vec![range("1.0.0.0", "216.255.255.255")],
            vec![],
        ] {
            assert!(!covers_public(&some, true), "{some:?}");
        }
        // Each family on its own.
        assert!(!covers_public(&[range("0.0.0.0", "255.255.255.255")], false));
        assert!(covers_public(&[net("::/0")], false));
        assert!(covers_public(&[net("2000::/3")], false));
        assert!(!covers_public(&[net("2001:db8::/32"), net("2a00::/12")], false));
    }
}
