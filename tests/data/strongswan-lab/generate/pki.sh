#!/bin/bash
# Test-only PKI for the certificate scenarios: a CA and a 4096-bit RSA certificate per side (large enough for
# IKE_AUTH to exceed a 1500-byte MTU). Written to ../pki/ (not kept in the repository).
set -e
cd "$(dirname "$0")/.." && mkdir -p pki && cd pki
pki --gen --type rsa --size 3072 --outform pem > ca.key
pki --self --ca --lifetime 3650 --in ca.key --type rsa --dn "C=KR, O=VPN Lab, CN=VPN Lab Test CA" --outform pem > ca.crt
pki --gen --type rsa --size 3072 --outform pem > other-ca.key
pki --self --ca --lifetime 3650 --in other-ca.key --type rsa --dn "C=KR, O=Elsewhere, CN=Other CA" --outform pem > other-ca.crt
for side in L R; do
  ip=$([ $side = L ] && echo 192.0.2.1 || echo 192.0.2.2)
  pki --gen --type rsa --size 4096 --outform pem > $side.key
  pki --pub --in $side.key --type rsa | pki --issue --lifetime 1825 --cacert ca.crt --cakey ca.key \
      --dn "C=KR, O=VPN Lab, CN=gw-$side.example.net" --san gw-$side.example.net --san $ip --outform pem > $side.crt
done
# L's certificate from the same key, valid only in 2020: an expired certificate
pki --pub --in L.key --type rsa | pki --issue --cacert ca.crt --cakey ca.key --dn "C=KR, O=VPN Lab, CN=gw-L.example.net" \
    --san gw-L.example.net --san 192.0.2.1 --dateform "%Y-%m-%d" --not-before 2020-01-01 --not-after 2020-12-31 \
    --outform pem > L-expired.crt
