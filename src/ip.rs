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
}
