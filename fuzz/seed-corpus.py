#!/usr/bin/env python3
"""Writes the seed corpora, fuzz/corpus/<target>/seed-*, from the project's own fixtures.

Run from anywhere: `python3 fuzz/seed-corpus.py`. Only seeds are kept in git (see
fuzz/.gitignore); what libFuzzer adds beside them is not.
"""
import hashlib
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
CORPUS = ROOT / "fuzz" / "corpus"

# As MetadataKind::ALL and NAMES in fuzz/src/harness.rs; 12 is `forcelint.toml`. Three kinds
# are settings files, told apart by name.
SUFFIXES = ["connectedApp", "eca", "ecaOauth", "ecaGlblOauth", "ecaOauthPlcy", "ecaPlcy", "settings", "profile",
            "profileSessionSetting", "settings", "settings", "permissionset"]
SETTINGS = {"Security": 6, "OauthOidc": 9, "ConnectedApp": 10}
NAMES = ["App", "Admin", "Integration", "Security", "Billing_Connector", "Billing_Connector_oauthPlcy", "My.App", "Ü n"]
CONFIG = len(SUFFIXES)
MAX_FILES = 8


def kind_of(path):
    name = path.name.removesuffix("-meta.xml")
    if "." not in name:
        return None
    full, suffix = name.rsplit(".", 1)
    if suffix == "settings":
        return (SETTINGS[full], full) if full in SETTINGS else None
    if suffix not in SUFFIXES:
        return None
    return SUFFIXES.index(suffix), full


def name_byte(full):
    # Never 0, which separates files: the harness takes the byte modulo len(NAMES).
    index = NAMES.index(full) if full in NAMES else (1 if "Admin" in full else 2 if "Integration" in full else 0)
    return index + len(NAMES)


def kind_byte(kind):
    # Never 0, as above: the harness takes the byte modulo len(SUFFIXES) + 1.
    return kind + len(SUFFIXES) + 1


def write(target, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"seed-{hashlib.sha1(data).hexdigest()[:16]}").write_bytes(data)


NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"'
XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
# Hostile inputs (issue 12): namespaces and nil, repeated elements, malformed numbers and
# IP ranges. (kind, full name, text)
HOSTILE = [
    (0, "App", f'<ConnectedApp {NS} {XSI} xmlns:x="urn:x"><oauthConfig><scopes>Api</scopes><x:scopes>Full</x:scopes>'
               '</oauthConfig><oauthPolicy><refreshTokenPolicy nil="true">zero</refreshTokenPolicy>'
               '<x:ipRelaxation>BYPASS</x:ipRelaxation><ipRelaxation xmlns="">BYPASS</ipRelaxation>'
               '<y:refreshTokenPolicy xsi:nil="true"/></oauthPolicy></ConnectedApp>'),
    (0, "App", f'<ConnectedApp {NS}><oauthConfig><scopes>Api</scopes></oauthConfig><oauthPolicy>'
               '<refreshTokenPolicy>zero</refreshTokenPolicy><refreshTokenPolicy>infinite</refreshTokenPolicy>'
               '</oauthPolicy><oauthPolicy><ipRelaxation>ENFORCE</ipRelaxation></oauthPolicy>'
               '<sessionPolicy><sessionTimeout>+15</sessionTimeout></sessionPolicy></ConnectedApp>'),
    (0, "App", f'<ConnectedApp {NS}><oauthPolicy><refreshTokenPolicy>specific_lifetime:99999999999:DAYS'
               '</refreshTokenPolicy></oauthPolicy></ConnectedApp>'),
    (7, "Admin", f'<Profile {NS}><loginIpRanges><startAddress>10.0.0.300</startAddress><endAddress>10.0.0.1'
                 '</endAddress></loginIpRanges><loginIpRanges><startAddress>10.0.0.9</startAddress><endAddress>'
                 '10.0.0.1</endAddress></loginIpRanges><loginIpRanges><startAddress>10.0.0.1</startAddress>'
                 '<endAddress>::1</endAddress></loginIpRanges><loginIpRanges><startAddress>1.1.1.1'
                 '</startAddress></loginIpRanges></Profile>'),
    (6, "Security", f'<SecuritySettings {NS}><sessionSettings><sessionTimeout>TwoHours</sessionTimeout>'
                    '</sessionSettings><sessionSettings/></SecuritySettings>'),
]


def main():
    metadata = sorted(p for p in FIXTURES.rglob("*") if p.is_file() and kind_of(p))
    for path in metadata:
        kind, _ = kind_of(path)
        data = path.read_bytes()
        write("xml_parse", data)
        write("model_build", bytes([kind]) + data)
    configs = sorted(FIXTURES.rglob("forcelint.toml"))
    for path in configs:
        write("config", path.read_bytes())
    # One pipeline seed per folder of metadata files (a project, a rule fixture case).
    roots = sorted({next((a for a in p.parents if (a / "sfdx-project.json").exists()), p.parent) for p in metadata})
    for root in roots:
        files = [p for p in metadata if root in p.parents][:MAX_FILES - 1]
        chunks = [bytes([kind_byte(kind_of(p)[0]), name_byte(kind_of(p)[1])]) + p.read_bytes() for p in files]
        if (root / "forcelint.toml").exists():
            chunks.append(bytes([CONFIG, name_byte("App")]) + (root / "forcelint.toml").read_bytes())
        write("pipeline", b"\0".join(chunks))
    for kind, full, text in HOSTILE:
        write("xml_parse", text.encode())
        write("model_build", bytes([kind]) + text.encode())
    # Two org settings files, and two policies files for one external client app.
    org = [bytes([kind_byte(k), name_byte(n)]) + t.encode() for k, n, t in HOSTILE if k == 6] * 2
    plcy = (f'<ExtlClntAppOauthConfigurablePolicies {NS}><externalClientApplication>Billing_Connector'
            '</externalClientApplication><refreshTokenPolicyType>Zero</refreshTokenPolicyType>'
            '</ExtlClntAppOauthConfigurablePolicies>').encode()
    ecas = [bytes([kind_byte(4), name_byte(n)]) + plcy for n in ["Billing_Connector_oauthPlcy", "App"]]
    write("pipeline", b"\0".join(org + ecas + [bytes([kind_byte(0), name_byte("App")]) + HOSTILE[1][2].encode()]))


if __name__ == "__main__":
    main()
