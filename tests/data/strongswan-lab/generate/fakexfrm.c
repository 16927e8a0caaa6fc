/* LD_PRELOAD shim: answer pluto's XFRM SA/policy requests in userland (the lab kernel has no ESP).
 * Only the blocking NETLINK_XFRM socket pluto sends requests on is touched. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>

static int xfrm_fd = -1;
static char pending[8192];
static size_t pending_len = 0;
static uint32_t next_spi = 0;

int socket(int domain, int type, int protocol) {
    static int (*real)(int, int, int);
    if (!real) real = dlsym(RTLD_NEXT, "socket");
    int fd = real(domain, type, protocol);
    if (fd >= 0 && domain == AF_NETLINK && protocol == NETLINK_XFRM && !(type & SOCK_NONBLOCK) && xfrm_fd < 0)
        xfrm_fd = fd;
    return fd;
}

static void reply(struct nlmsghdr *req, uint16_t type, const void *body, size_t blen) {
    struct nlmsghdr *h = (struct nlmsghdr *)pending;
    memset(pending, 0, sizeof(pending));
    h->nlmsg_len = NLMSG_LENGTH(blen);
    h->nlmsg_type = type;
    h->nlmsg_seq = req->nlmsg_seq;
    h->nlmsg_pid = 0;
    memcpy(NLMSG_DATA(h), body, blen);
    pending_len = h->nlmsg_len;
}

ssize_t write(int fd, const void *buf, size_t count) {
    static ssize_t (*real)(int, const void *, size_t);
    if (!real) real = dlsym(RTLD_NEXT, "write");
    if (fd != xfrm_fd || count < sizeof(struct nlmsghdr)) return real(fd, buf, count);
    struct nlmsghdr *req = (struct nlmsghdr *)buf;
    switch (req->nlmsg_type) {
    case XFRM_MSG_ALLOCSPI: {
        struct xfrm_userspi_info *r = NLMSG_DATA(req);
        struct xfrm_usersa_info sa;
        memset(&sa, 0, sizeof(sa));
        sa.id = r->info.id;
        sa.saddr = r->info.saddr;
        sa.family = r->info.family;
        if (!next_spi) next_spi = 0xc0000000u | ((uint32_t)getpid() << 12);
        uint32_t spi = next_spi++;
        if (spi < r->min || spi > r->max) spi = r->min + (spi % (r->max - r->min + 1));
        sa.id.spi = htonl(spi);
        reply(req, XFRM_MSG_NEWSA, &sa, sizeof(sa));
        return count;
    }
    case XFRM_MSG_GETSA: {
        struct xfrm_usersa_info sa;
        memset(&sa, 0, sizeof(sa));
        reply(req, XFRM_MSG_NEWSA, &sa, sizeof(sa));
        return count;
    }
    case XFRM_MSG_GETPOLICY: {
        struct xfrm_userpolicy_info p;
        memset(&p, 0, sizeof(p));
        reply(req, XFRM_MSG_NEWPOLICY, &p, sizeof(p));
        return count;
    }
    case XFRM_MSG_NEWSA: case XFRM_MSG_UPDSA: case XFRM_MSG_DELSA:
    case XFRM_MSG_NEWPOLICY: case XFRM_MSG_UPDPOLICY: case XFRM_MSG_DELPOLICY:
    case XFRM_MSG_FLUSHSA: case XFRM_MSG_FLUSHPOLICY: {
        struct nlmsgerr e;
        memset(&e, 0, sizeof(e));
        e.error = 0;
        e.msg = *req;
        reply(req, NLMSG_ERROR, &e, sizeof(e));
        return count;
    }
    default:
        return real(fd, buf, count);
    }
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *addr, socklen_t *alen) {
    static ssize_t (*real)(int, void *, size_t, int, struct sockaddr *, socklen_t *);
    if (!real) real = dlsym(RTLD_NEXT, "recvfrom");
    if (fd != xfrm_fd || !pending_len) return real(fd, buf, len, flags, addr, alen);
    size_t n = pending_len < len ? pending_len : len;
    memcpy(buf, pending, n);
    pending_len = 0;
    if (addr && alen && *alen >= sizeof(struct sockaddr_nl)) {
        struct sockaddr_nl *a = (struct sockaddr_nl *)addr;
        memset(a, 0, sizeof(*a));
        a->nl_family = AF_NETLINK;
        *alen = sizeof(*a);
    }
    return (ssize_t)n;
}
