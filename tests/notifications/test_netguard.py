"""A webhook may not be aimed at the server itself, the intranet or the cloud's metadata service (SSRF), unless an
administrator allows the address; checked when the channel is saved (here) and when it is used (test_webhook.py)."""

import ipaddress

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from notifications import channels, netguard
from notifications.models import Endpoint
from npc_tracker.errors import InvalidInput


@pytest.mark.parametrize("address", [
    "127.0.0.1", "127.8.9.10", "10.0.0.1", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0", "100.64.0.1",
    "224.0.0.1", "240.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1",
    "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1", "2002:7f00:1::", "64:ff9b::a9fe:a9fe",
])
def test_loopback_private_link_local_multicast_and_reserved_addresses_are_forbidden(address):
    assert netguard.forbidden_reason(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "2606:4700::1111", "::ffff:93.184.216.34"])
def test_public_addresses_are_allowed(address):
    assert netguard.forbidden_reason(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(("url", "reason"), [
    ("http://127.0.0.1:6379/", "本机回环地址"),
    ("http://localhost:8000/admin/", "本机回环地址"),
    ("http://[::1]:5432/", "本机回环地址"),
    ("http://169.254.169.254/latest/meta-data/", "链路本地地址"),
    ("http://10.0.0.8/hook", "内网"),
    ("http://[fe80::1]/", "链路本地地址"),
    ("http://[::ffff:127.0.0.1]/", "本机回环地址"),
    ("http://[::ffff:7f00:1]/", "本机回环地址"),
    ("http://2130706433/", "本机回环地址"),
    ("http://0x7f.1/", "本机回环地址"),
    ("http://127.1/", "本机回环地址"),
    ("http://0177.0.0.1/", "本机回环地址"),
    ("http://0.0.0.0:8000/", "未指定地址"),
    ("http://224.0.0.251/", "组播地址"),
])
def test_a_forbidden_target_is_refused_at_save_naming_the_reason(dns, url, reason):
    with pytest.raises(netguard.ForbiddenTarget) as refused:
        netguard.check_url(url)
    assert reason in str(refused.value)
    assert "WEBHOOK_ALLOWED_NETWORKS" in str(refused.value)


def test_a_name_is_refused_if_any_of_its_addresses_is_forbidden(dns):
    dns["hooks.example.org"] = ["93.184.216.34", "10.0.0.8"]
    with pytest.raises(netguard.ForbiddenTarget) as refused:
        netguard.check_url("https://hooks.example.org/robot/send")
    assert "hooks.example.org 指向的地址是" in str(refused.value)
    assert "10.0.0.8" not in str(refused.value)  # nobody maps the intranet's DNS through this form


def test_a_public_name_is_accepted(dns):
    dns["oapi.dingtalk.example"] = ["93.184.216.34", "2606:4700::1111"]
    netguard.check_url("https://oapi.dingtalk.example/robot/send?access_token=abc")


@pytest.mark.parametrize("url", ["ftp://gateway.example/x", "http://gateway.example:99999/", "http://[::1/",
                                 "file:///etc/passwd", "http:///path-only"])
def test_what_is_not_an_http_address_is_refused_as_such(dns, url):
    with pytest.raises(netguard.ForbiddenTarget) as refused:
        netguard.check_url(url)
    assert "http:// 或 https://" in str(refused.value)


def test_a_name_that_does_not_resolve_is_refused(dns):
    with pytest.raises(netguard.ForbiddenTarget) as refused:
        netguard.check_url("https://no-such-host.example/hook")
    assert "无法解析" in str(refused.value)


def test_the_administrators_allow_list_lets_intranet_networks_and_hosts_through(dns, settings):
    dns["sms-gateway.gov.example"] = ["192.168.30.7"]
    settings.WEBHOOK_ALLOWED_NETWORKS = ["10.12.0.0/16", "sms-gateway.gov.example", "fd00::5"]
    netguard.check_url("http://10.12.3.4:8080/send")
    netguard.check_url("http://[::ffff:10.12.3.4]:8080/send")
    netguard.check_url("http://SMS-Gateway.gov.example/send")
    netguard.check_url("http://[fd00::5]/send")
    for outside in ("http://10.13.0.1/", "http://127.0.0.1/", "http://[fd00::6]/"):
        with pytest.raises(netguard.ForbiddenTarget):
            netguard.check_url(outside)


def test_a_malformed_allow_list_entry_is_a_configuration_error(dns, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["10.0.0.0/33"]
    with pytest.raises(ImproperlyConfigured):
        netguard.check_url("http://10.0.0.1/")


@pytest.mark.django_db
def test_the_channel_page_refuses_an_internal_webhook_with_the_reason_and_saves_nothing(client, world, dns):
    client.force_login(world.liaison)
    response = client.post(reverse("notifications:channels"), {"channel": "webhook",
                                                               "target": "http://127.0.0.1:6379/"})
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["target"])
    assert "127.0.0.1" in errors
    assert "本机回环地址" in errors
    assert not Endpoint.objects.exists()


@pytest.mark.django_db
def test_an_allowed_intranet_gateway_can_be_saved(world, dns, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["10.12.0.0/16"]
    endpoint = channels.endpoint_add(user=world.liaison, channel="webhook", target="http://10.12.3.4:8080/send")
    assert endpoint.target == "http://10.12.3.4:8080/send"
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    with pytest.raises(InvalidInput) as refused:
        channels.endpoint_add(user=world.liaison, channel="webhook", target="http://10.12.3.5:8080/send")
    assert refused.value.field == "target"
