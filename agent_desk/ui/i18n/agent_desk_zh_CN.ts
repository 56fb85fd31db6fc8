<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>ClientListPage</name>
    <message>
        <location filename="../client_list.py" line="71" />
        <source>Search by name, pinyin, initials, ID number or its last digits, phone</source>
        <translation>搜索：姓名、拼音、首字母、身份证号码（或后几位）、电话</translation>
    </message>
    <message>
        <location filename="../client_list.py" line="73" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../client_list.py" line="73" />
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <location filename="../client_list.py" line="73" />
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <location filename="../client_list.py" line="73" />
        <source>ID number</source>
        <translation>身份证号码</translation>
    </message>
    <message>
        <location filename="../client_list.py" line="74" />
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location filename="../client_list.py" line="74" />
        <source>Village</source>
        <translation>所属村</translation>
    </message>
    <message>
        <location filename="../client_list.py" line="74" />
        <source>Address</source>
        <translation>家庭住址</translation>
    </message>
    <message>
        <location filename="../client_list.py" line="115" />
        <source>%1 found</source>
        <translation>找到 %1 人</translation>
    </message>
    <message>
        <location filename="../client_list.py" line="124" />
        <source>%1 clients in total</source>
        <translation>共 %1 位委托人</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <location filename="../messages.py" line="45" />
        <source>Cannot continue</source>
        <translation>无法继续</translation>
    </message>
    <message>
        <location filename="../messages.py" line="55" />
        <source>Unexpected error</source>
        <translation>程序内部错误</translation>
    </message>
    <message>
        <location filename="../messages.py" line="56" />
        <source>AgentDesk hit an internal error. Your saved data is safe.
The details were copied to the clipboard and written to the log:
%1</source>
        <translation>代办通遇到内部错误，已保存的数据不受影响。
详细信息已复制到剪贴板，并写入日志：
%1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="41" />
        <source>AgentDesk</source>
        <translation>代办通</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="54" />
        <source>Opening the database…</source>
        <translation>正在打开数据库……</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="68" />
        <source>DEMO DATA</source>
        <translation>演示数据</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="74" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="75" />
        <source>&amp;Import roster…</source>
        <translation>导入花名册(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="76" />
        <source>&amp;Export roster…</source>
        <translation>导出花名册(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="78" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="79" />
        <source>&amp;Go</source>
        <translation>转到(&amp;G)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="80" />
        <source>Find a client</source>
        <translation>查找委托人</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="116" />
        <source>The database could not be opened.</source>
        <translation>无法打开数据库。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="123" />
        <source>Clients</source>
        <translation>委托人</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="136" />
        <source>Creating demo data…</source>
        <translation>正在生成演示数据……</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="142" />
        <source>Demo data ready</source>
        <translation>演示数据已生成</translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <location filename="../roster_actions.py" line="18" />
        <source>Import roster</source>
        <translation>导入花名册</translation>
    </message>
    <message>
        <location filename="../roster_actions.py" line="39" />
        <source>Roster imported: %1</source>
        <translation>花名册已导入：%1</translation>
    </message>
    <message>
        <location filename="../roster_actions.py" line="45" />
        <source>Export roster</source>
        <translation>导出花名册</translation>
    </message>
    <message>
        <location filename="../roster_actions.py" line="55" />
        <source>Roster exported</source>
        <translation>花名册已导出</translation>
    </message>
</context>
</TS>