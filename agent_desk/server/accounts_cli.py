"""``agent-desk server users …`` and ``server devices …``: the account life cycle from the command line."""

from __future__ import annotations

import argparse
from typing import Any


def add_account_commands(sub: Any) -> None:
    users = sub.add_parser(
        "users", help="用户管理 (list, disable, enable, reset-password, set-villages)"
    )
    users_sub = users.add_subparsers(dest="users_command", required=True)
    users_sub.add_parser("list", help="列出用户 (list users)")
    for name, text in (
        ("disable", "停用用户并立即注销其所有登录 (disable; every token stops at once)"),
        ("enable", "重新启用用户 (enable)"),
    ):
        users_sub.add_parser(name, help=text).add_argument("username")
    reset = users_sub.add_parser(
        "reset-password", help="重置密码，下次登录须改密码 (temporary password)"
    )
    reset.add_argument("username")
    reset.add_argument("--password-stdin", action="store_true", help="从标准输入读取临时密码")
    villages = users_sub.add_parser(
        "set-villages", help="更改代办员所属的村 (replace an agent's villages)"
    )
    villages.add_argument("username")
    villages.add_argument(
        "--village", action="append", required=True, help="村代码 (12 digits; repeat)"
    )
    devices = sub.add_parser("devices", help="设备 (list devices, or revoke a lost one)")
    devices_sub = devices.add_subparsers(dest="devices_command")
    devices_sub.add_parser("list", help="列出设备 (list)")
    devices_sub.add_parser(
        "revoke", help="停用设备（如丢失的电脑） (revoke a device)"
    ).add_argument("device_id")


def run_account_command(hub: Any, args: argparse.Namespace, password: Any) -> int:
    from agent_desk.server import accounts

    if args.server_command == "devices":
        if getattr(args, "devices_command", None) == "revoke":
            count = accounts.revoke_device(hub.db, args.device_id)
            print(f"已停用设备 {args.device_id}，注销 {count} 个登录 (device revoked)")
            return 0
        return _print_devices(accounts.list_devices(hub.db))
    command = args.users_command
    if command == "list":
        return _print_users(accounts.list_users(hub.db))
    if command in ("disable", "enable"):
        count = accounts.set_active(hub.db, args.username, command == "enable")
        print(
            f"已{'启用' if command == 'enable' else '停用'}用户 {args.username}"
            + (f"，注销 {count} 个登录" if count else "")
        )
    elif command == "reset-password":
        count = accounts.reset_password(hub.db, args.username, password(args))
        print(
            f"已重置 {args.username} 的密码，注销 {count} 个登录；下次登录须设置新密码 (must change at next login)"
        )
    else:
        accounts.set_villages(hub.db, args.username, args.village)
        print(f"已更改 {args.username} 所属的村：{', '.join(args.village)}")
    return 0


def _when(value: Any) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value else "-"


def _print_users(rows: list[dict[str, Any]]) -> int:
    print(
        "用户 (user)\t角色 (role)\t状态 (state)\t村 (villages)\t登录 (tokens)\t最近使用 (last used)"
    )
    for r in rows:
        state = "启用 active" if r["active"] else "停用 disabled"
        if r["must_change_password"]:
            state += "，待改密码 (must change password)"
        where = ",".join(r["villages"]) or r["township_code"] or "-"
        print(
            f"{r['username']}\t{r['role']}\t{state}\t{where}\t{r['tokens']}\t{_when(r['last_used_at'])}"
        )
    return 0


def _print_devices(rows: list[dict[str, Any]]) -> int:
    from agent_desk.server.desk_versions import describe

    print(
        "设备 (device)\t名称 (name)\t用户 (user)\t最近联系 (last seen)\t版本 (desk version)"
        "\t最近同步 (last sync)\t结果 (result)\t登录 (tokens)\t状态 (state)"
    )
    for r in rows:
        state = f"已停用 revoked {_when(r['revoked_at'])}" if r["revoked_at"] else "正常 ok"
        version = r["desk_version"] or "较早版本 (older)"
        print(
            f"{r['id']}\t{r['name'] or '-'}\t{r['username']}\t{_when(r['last_seen_at'])}"
            f"\t{version}\t{_when(r['last_sync_at'])}\t{describe(r['last_sync_result'])}"
            f"\t{r['tokens']}\t{state}"
        )
    return 0
