# Sourced by the two-tunnel scenarios' actions.sh (aws2-*, plx-aws2-*): tunnel 2's endpoint, a second address on R,
# and an address in tunnel 2's remote subnet, which kernel-libipsec routes from. Both stay in R's namespace after the
# run (see README.md).
ip netns exec R ip addr replace 192.0.2.3/24 dev vr; ip netns exec R ip addr replace 10.3.0.1/32 dev lo
sleep 1
