<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>About</name>
    <message>
        <location filename="../about.py" line="23" />
        <source>Built with Qt %1 and PySide6 %2, used under the GNU LGPL v3; the Qt libraries are separate files and may be replaced. Printing draws pages with PDFium (BSD-3-Clause). Python %3.</source>
        <translation>基于 Qt %1 和 PySide6 %2 构建，依 GNU LGPL v3 许可使用；Qt 库是独立文件，可以替换。打印由 PDFium（BSD-3-Clause）绘制页面。Python %3。</translation>
    </message>
    <message>
        <location filename="../about.py" line="27" />
        <source>Licence texts and third-party notices: %1</source>
        <translation>许可证全文和第三方声明：%1</translation>
    </message>
    <message>
        <location filename="../about.py" line="29" />
        <source>AgentDesk %1</source>
        <translation>代办通 AgentDesk %1</translation>
    </message>
    <message>
        <location filename="../about.py" line="30" />
        <source>Offline desk for village proxy agents and township reviewers.</source>
        <translation>离线可用的村级代办和乡镇审核桌面程序。</translation>
    </message>
</context>
<context>
    <name>ActionForm</name>
    <message>
        <location filename="../action_form.py" line="64" />
        <source>Record this step now?</source>
        <translation>现在记录这一步？</translation>
    </message>
    <message>
        <location filename="../action_form.py" line="71" />
        <location filename="../action_form.py" line="74" />
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../action_form.py" line="81" />
        <source>These documents are missing. Tick those accepted with deferral:</source>
        <translation>以下材料尚缺。勾选容缺受理的材料：</translation>
    </message>
    <message>
        <location filename="../action_form.py" line="98" />
        <source>Other reasons, one per line</source>
        <translation>其他原因，每行一条</translation>
    </message>
    <message>
        <location filename="../action_form.py" line="100" />
        <source>Common reasons</source>
        <translation>常见原因</translation>
    </message>
    <message>
        <location filename="../action_form.py" line="101" />
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../action_form.py" line="105" />
        <source>Approved</source>
        <translation>准予</translation>
    </message>
    <message>
        <location filename="../action_form.py" line="106" />
        <source>Refused</source>
        <translation>不予</translation>
    </message>
    <message>
        <location filename="../action_form.py" line="108" />
        <source>Outcome</source>
        <translation>办理结果</translation>
    </message>
    <message>
        <location filename="../action_form.py" line="109" />
        <source>Certificate no.</source>
        <translation>证照编号</translation>
    </message>
    <message>
        <location filename="../action_form.py" line="110" />
        <source>Result</source>
        <translation>结果说明</translation>
    </message>
    <message>
        <location filename="../action_form.py" line="119" />
        <source>Still outstanding: %1</source>
        <translation>以下必需材料尚未收到：%1</translation>
    </message>
    <message>
        <location filename="../action_form.py" line="120" />
        <source>Why continue without them</source>
        <translation>仍要继续的原因</translation>
    </message>
    <message>
        <location filename="../action_form.py" line="111" />
        <source>Reason (when refused)</source>
        <translation>原因（不予时填写）</translation>
    </message>
    <message>
        <location filename="../action_form.py" line="129" />
        <source>Picked up in person</source>
        <translation>自取</translation>
    </message>
    <message>
        <location filename="../action_form.py" line="130" />
        <source>Delivered to the door</source>
        <translation>代送上门</translation>
    </message>
    <message>
        <location filename="../action_form.py" line="131" />
        <source>By post</source>
        <translation>邮政寄递</translation>
    </message>
    <message>
        <location filename="../action_form.py" line="136" />
        <source>Delivery</source>
        <translation>送达方式</translation>
    </message>
    <message>
        <location filename="../action_form.py" line="137" />
        <source>Tracking no. (by post)</source>
        <translation>邮件号（邮政寄递时填写）</translation>
    </message>
    <message>
        <location filename="../action_form.py" line="142" />
        <source>Satisfaction (1–5)</source>
        <translation>满意度（1–5）</translation>
    </message>
    <message>
        <location filename="../action_form.py" line="143" />
        <source>Comment</source>
        <translation>意见</translation>
    </message>
</context>
<context>
    <name>AgentPage</name>
    <message>
        <location filename="../first_run_offline.py" line="88" />
        <source>You, the agent</source>
        <translation>代办员本人信息</translation>
    </message>
    <message>
        <location filename="../first_run_offline.py" line="89" />
        <source>Printed on every proxy authorisation, form and receipt.</source>
        <translation>将打印在代办委托书、各类申请表和回执上。</translation>
    </message>
    <message>
        <location filename="../first_run_offline.py" line="91" />
        <source>&amp;Name</source>
        <translation>姓名(&amp;N)</translation>
    </message>
    <message>
        <location filename="../first_run_offline.py" line="92" />
        <source>&amp;Phone</source>
        <translation>联系电话(&amp;P)</translation>
    </message>
    <message>
        <location filename="../first_run_offline.py" line="93" />
        <source>&amp;ID number</source>
        <translation>公民身份号码(&amp;I)</translation>
    </message>
    <message>
        <location filename="../first_run_offline.py" line="94" />
        <source>&amp;Service room</source>
        <translation>便民服务室(&amp;S)</translation>
    </message>
    <message>
        <location filename="../first_run_offline.py" line="98" />
        <source>e.g. Shiqiao Village service room</source>
        <translation>例如：石桥村便民服务室</translation>
    </message>
</context>
<context>
    <name>BackgroundBackup</name>
    <message>
        <location filename="../background_backup.py" line="69" />
        <source>Backing up… %1%</source>
        <translation>正在后台备份… %1%</translation>
    </message>
    <message>
        <location filename="../background_backup.py" line="76" />
        <source>Backup done</source>
        <translation>备份完成</translation>
    </message>
    <message>
        <location filename="../background_backup.py" line="86" />
        <source>The backup failed; the earlier copies are kept (see the log)</source>
        <translation>备份失败，之前的备份都还在（详见日志）</translation>
    </message>
</context>
<context>
    <name>BundleIntakeDialog</name>
    <message>
        <location filename="../bundle_intake.py" line="51" />
        <location filename="../bundle_intake.py" line="208" />
        <source>New one-stop request</source>
        <translation>新建“一件事”</translation>
    </message>
    <message>
        <location filename="../bundle_intake.py" line="70" />
        <source>&amp;Open the request and its cases</source>
        <translation>建立“一件事”及其全部办件(&amp;O)</translation>
    </message>
    <message>
        <location filename="../bundle_intake.py" line="78" />
        <source>Documents received (each once, for every case):</source>
        <translation>已收材料（每种只收一次，用于所有需要它的办件）：</translation>
    </message>
    <message>
        <location filename="../bundle_intake.py" line="97" />
        <source>Client: %1</source>
        <translation>委托人：%1</translation>
    </message>
    <message>
        <location filename="../bundle_intake.py" line="112" />
        <source>No bundle fits this client.</source>
        <translation>没有适合该委托人的“一件事”。</translation>
    </message>
    <message>
        <location filename="../bundle_intake.py" line="119" />
        <source>Items: %1</source>
        <translation>包含事项：%1</translation>
    </message>
    <message>
        <location filename="../bundle_intake.py" line="127" />
        <source>%1 — produced by %2, handed on when approved</source>
        <translation>%1（由“%2”办结产出，批准后自动转交，无需收取）</translation>
    </message>
    <message>
        <location filename="../bundle_intake.py" line="146" />
        <source>Combined application (%1), filled from the profile; type what it also needs:</source>
        <translation>一表申请（%1）按档案自动填写；请补填以下内容：</translation>
    </message>
    <message>
        <location filename="../bundle_intake.py" line="149" />
        <source>This bundle has no combined application; each case prints its own forms.</source>
        <translation>本“一件事”没有一表申请，各办件分别打印本事项的表格。</translation>
    </message>
    <message>
        <location filename="../bundle_intake.py" line="189" />
        <source>Opening the request and filling its papers…</source>
        <translation>正在建立“一件事”并填写一表申请…</translation>
    </message>
    <message>
        <location filename="../bundle_intake.py" line="205" />
        <source>The request is open. The combined application is not printed yet: the profile still lacks %1. Complete it, then print it from the request page.</source>
        <translation>“一件事”已建立。一表申请尚未打印：档案还缺少 %1。补全后请在“一件事”页面打印。</translation>
    </message>
</context>
<context>
    <name>CaseAction</name>
    <message>
        <location filename="../labels.py" line="169" />
        <source>Entrust</source>
        <translation>委托</translation>
    </message>
    <message>
        <location filename="../labels.py" line="170" />
        <source>Accept</source>
        <translation>受理</translation>
    </message>
    <message>
        <location filename="../labels.py" line="171" />
        <source>Refuse to accept</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <location filename="../labels.py" line="172" />
        <source>Submit</source>
        <translation>报送</translation>
    </message>
    <message>
        <location filename="../labels.py" line="173" />
        <source>Return for correction</source>
        <translation>退回补正</translation>
    </message>
    <message>
        <location filename="../labels.py" line="174" />
        <source>Resubmit after correction</source>
        <translation>补正后重新报送</translation>
    </message>
    <message>
        <location filename="../labels.py" line="175" />
        <source>Approve</source>
        <translation>审核通过</translation>
    </message>
    <message>
        <location filename="../labels.py" line="176" />
        <source>Conclude</source>
        <translation>办结</translation>
    </message>
    <message>
        <location filename="../labels.py" line="177" />
        <source>Deliver</source>
        <translation>送达</translation>
    </message>
    <message>
        <location filename="../labels.py" line="178" />
        <source>Follow-up visit</source>
        <translation>回访</translation>
    </message>
    <message>
        <location filename="../labels.py" line="179" />
        <source>Archive</source>
        <translation>归档</translation>
    </message>
    <message>
        <location filename="../labels.py" line="180" />
        <source>Withdraw</source>
        <translation>撤回</translation>
    </message>
    <message>
        <location filename="../labels.py" line="181" />
        <source>Due date adjusted</source>
        <translation>办结期限调整</translation>
    </message>
    <message>
        <location filename="../labels.py" line="182" />
        <source>Document from another case of the request</source>
        <translation>同一件事的前序办件产出材料</translation>
    </message>
</context>
<context>
    <name>CaseBoardPage</name>
    <message>
        <location filename="../case_board.py" line="159" />
        <source>Case no.</source>
        <translation>办件编号</translation>
    </message>
    <message>
        <location filename="../case_board.py" line="160" />
        <source>Service item</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../case_board.py" line="161" />
        <source>Client</source>
        <translation>委托人</translation>
    </message>
    <message>
        <location filename="../case_board.py" line="162" />
        <source>Village</source>
        <translation>所属村</translation>
    </message>
    <message>
        <location filename="../case_board.py" line="163" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../case_board.py" line="165" />
        <source>Deadline</source>
        <translation>办结期限</translation>
    </message>
    <message>
        <location filename="../case_board.py" line="164" />
        <source>Entrusted on</source>
        <translation>委托日期</translation>
    </message>
    <message>
        <location filename="../case_board.py" line="179" />
        <source>Case no. or client name / pinyin / ID</source>
        <translation>办件编号或委托人姓名/拼音/身份证号</translation>
    </message>
    <message>
        <location filename="../case_board.py" line="183" />
        <source>Open cases</source>
        <translation>在办</translation>
    </message>
    <message>
        <location filename="../case_board.py" line="184" />
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../case_board.py" line="188" />
        <source>All items</source>
        <translation>全部事项</translation>
    </message>
    <message>
        <location filename="../case_board.py" line="190" />
        <source>All villages</source>
        <translation>全部村</translation>
    </message>
    <message>
        <location filename="../case_board.py" line="191" />
        <source>Overdue</source>
        <translation>已超期</translation>
    </message>
    <message>
        <location filename="../case_board.py" line="192" />
        <source>Due soon</source>
        <translation>即将到期</translation>
    </message>
    <message>
        <location filename="../case_board.py" line="193" />
        <source>Returned for correction</source>
        <translation>退回补正</translation>
    </message>
    <message>
        <location filename="../case_board.py" line="196" />
        <source>By deadline</source>
        <translation>按期限</translation>
    </message>
    <message>
        <location filename="../case_board.py" line="197" />
        <source>Newest first</source>
        <translation>最新在前</translation>
    </message>
    <message>
        <location filename="../case_board.py" line="198" />
        <source>Oldest first</source>
        <translation>最早在前</translation>
    </message>
    <message>
        <location filename="../case_board.py" line="285" />
        <source>%1 cases</source>
        <translation>共 %1 件</translation>
    </message>
</context>
<context>
    <name>CaseDetailView</name>
    <message>
        <location filename="../case_detail.py" line="69" />
        <location filename="../case_detail.py" line="79" />
        <source>Case</source>
        <translation>办件</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="72" />
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="72" />
        <source>Step</source>
        <translation>环节</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="72" />
        <source>By</source>
        <translation>经办人</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="72" />
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="75" />
        <source>Document</source>
        <translation>材料</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="75" />
        <source>Original/copy</source>
        <translation>原件/复印件</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="75" />
        <location filename="../case_detail.py" line="182" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="83" />
        <source>Required documents</source>
        <translation>申请材料</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="84" />
        <source>Timeline</source>
        <translation>办理过程</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="94" />
        <source>Printed documents</source>
        <translation>文书</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="109" />
        <location filename="../case_detail.py" line="124" />
        <source>Mark received (handed in later)</source>
        <translation>补交（标记已收）</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="113" />
        <source>Received on</source>
        <translation>收到日期</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="125" />
        <source>Select a document first.</source>
        <translation>请先在上表中选择一项材料。</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="176" />
        <source>Case no.</source>
        <translation>办件编号</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="177" />
        <source>Service item</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="179" />
        <source>Client</source>
        <translation>委托人</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="183" />
        <source>Entrusted on</source>
        <translation>委托日期</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="184" />
        <source>Handled by</source>
        <translation>经办人</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="184" />
        <source>not recorded</source>
        <translation>未记录</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="185" />
        <source>Deadline</source>
        <translation>办结期限</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="201" />
        <source>starts when accepted</source>
        <translation>受理后开始计算</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="203" />
        <source>; %1 working days in correction not counted</source>
        <translation>；补正期间 %1 个工作日不计入办理时限</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="210" />
        <source>overdue by %1 working days</source>
        <translation>已逾期 %1 个工作日</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="212" />
        <source>%1 working days left</source>
        <translation>剩余 %1 个工作日</translation>
    </message>
    <message>
        <location filename="../case_detail.py" line="214" />
        <source>, estimated: the State Council's holiday schedule decides</source>
        <translation>，预计，以国务院公布的放假安排为准</translation>
    </message>
</context>
<context>
    <name>CaseStatus</name>
    <message>
        <location filename="../labels.py" line="160" />
        <source>Entrusted</source>
        <translation>委托</translation>
    </message>
    <message>
        <location filename="../labels.py" line="161" />
        <source>Accepted</source>
        <translation>受理</translation>
    </message>
    <message>
        <location filename="../labels.py" line="162" />
        <source>In progress</source>
        <translation>办理中</translation>
    </message>
    <message>
        <location filename="../labels.py" line="163" />
        <source>Concluded</source>
        <translation>办结</translation>
    </message>
    <message>
        <location filename="../labels.py" line="164" />
        <source>Delivered</source>
        <translation>送达</translation>
    </message>
    <message>
        <location filename="../labels.py" line="165" />
        <source>Archived</source>
        <translation>归档</translation>
    </message>
    <message>
        <location filename="../labels.py" line="166" />
        <source>Needs correction</source>
        <translation>补正</translation>
    </message>
    <message>
        <location filename="../labels.py" line="167" />
        <source>Withdrawn</source>
        <translation>撤回</translation>
    </message>
    <message>
        <location filename="../labels.py" line="168" />
        <source>Not accepted</source>
        <translation>不予受理</translation>
    </message>
</context>
<context>
    <name>CaseTableModel</name>
    <message>
        <location filename="../case_board.py" line="135" />
        <source> (deferred)</source>
        <translation>（容缺）</translation>
    </message>
</context>
<context>
    <name>ClientListPage</name>
    <message>
        <location filename="../client_list.py" line="84" />
        <source>Search by name, pinyin, initials, ID number or its last digits, phone</source>
        <translation>搜索：姓名、拼音、首字母、身份证号码（或后几位）、电话</translation>
    </message>
    <message>
        <location filename="../client_list.py" line="87" />
        <source>Find a client</source>
        <translation>查找委托人</translation>
    </message>
    <message>
        <location filename="../client_list.py" line="89" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../client_list.py" line="90" />
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <location filename="../client_list.py" line="91" />
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <location filename="../client_list.py" line="92" />
        <source>ID number</source>
        <translation>身份证号码</translation>
    </message>
    <message>
        <location filename="../client_list.py" line="93" />
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location filename="../client_list.py" line="94" />
        <source>Village</source>
        <translation>所属村</translation>
    </message>
    <message>
        <location filename="../client_list.py" line="95" />
        <source>Address</source>
        <translation>家庭住址</translation>
    </message>
    <message>
        <location filename="../client_list.py" line="126" />
        <source>%1 found</source>
        <translation>找到 %1 人</translation>
    </message>
    <message>
        <location filename="../client_list.py" line="135" />
        <source>%1 clients in total</source>
        <translation>共 %1 位委托人</translation>
    </message>
</context>
<context>
    <name>ClientProfileView</name>
    <message>
        <location filename="../client_profile.py" line="140" />
        <source>At most %1 characters</source>
        <translation>最多 %1 字</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="167" />
        <source>Client profile</source>
        <translation>委托人档案</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="181" />
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="185" />
        <source>New &amp;intake for this client</source>
        <translation>为此人新办件(&amp;I)</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="225" />
        <source>Identity</source>
        <translation>身份信息</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="228" />
        <source>&amp;Name *</source>
        <translation>姓名(&amp;N) *</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="229" />
        <source>I&amp;D number</source>
        <translation>身份证号码(&amp;D)</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="230" />
        <source>&amp;Phone</source>
        <translation>联系电话(&amp;P)</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="232" />
        <source>Show full numbers (recorded in the audit trail)</source>
        <translation>显示完整号码（将记入审计记录）</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="244" />
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="245" />
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="246" />
        <location filename="../client_profile.py" line="297" />
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="247" />
        <source>Birth place</source>
        <translation>出生地</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="255" />
        <source>Details</source>
        <translation>详细信息</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="259" />
        <source>&amp;Village</source>
        <translation>所属村(&amp;V)</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="264" />
        <source>Relation to &amp;head</source>
        <translation>与户主关系(&amp;H)</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="267" />
        <source>Address</source>
        <translation>家庭住址</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="268" />
        <source>Ethnicity</source>
        <translation>民族</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="269" />
        <source>Marital status</source>
        <translation>婚姻状况</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="270" />
        <source>Education</source>
        <translation>文化程度</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="271" />
        <source>Bank</source>
        <translation>开户银行</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="272" />
        <source>Bank account</source>
        <translation>银行账号</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="273" />
        <source>Disability</source>
        <translation>残疾类别和等级</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="274" />
        <source>Hardship category</source>
        <translation>困难群众类别</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="275" />
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="285" />
        <source>Household</source>
        <translation>家庭户</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="294" />
        <source>Household register address</source>
        <translation>户籍地址</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="295" />
        <source>Registration type</source>
        <translation>户口性质</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="297" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="297" />
        <source>Relation</source>
        <translation>关系</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="297" />
        <source>ID number</source>
        <translation>身份证号码</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="302" />
        <source>Start a household with this client as head</source>
        <translation>以此人为户主建立家庭户</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="305" />
        <source>Add &amp;member…</source>
        <translation>添加家庭成员(&amp;M)…</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="316" />
        <source>Document library (attached once, reused by every case)</source>
        <translation>材料库（附加一次，各办件复用）</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="319" />
        <source>Kind</source>
        <translation>种类</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="319" />
        <source>Title</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="319" />
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="319" />
        <source>Added</source>
        <translation>添加日期</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="327" />
        <source>&amp;Attach scan…</source>
        <translation>附加扫描件(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="330" />
        <location filename="../client_profile.py" line="748" />
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="341" />
        <source>Cases of this client</source>
        <translation>该委托人的办件</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="343" />
        <source>Case no.</source>
        <translation>办件编号</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="344" />
        <source>Service item</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="345" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="346" />
        <source>Entrusted on</source>
        <translation>委托日期</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="406" />
        <source>New client</source>
        <translation>新委托人</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="467" />
        <source>Household of %1, %2</source>
        <translation>户主 %1，%2</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="471" />
        <source>Not in a household yet</source>
        <translation>尚未建立家庭户</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="618" />
        <source>Save the changes to this profile?</source>
        <translation>保存对此档案的修改吗？</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="674" />
        <source>Profile saved</source>
        <translation>档案已保存</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="713" />
        <source>Save first</source>
        <translation>请先保存</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="713" />
        <source>Save the new client before attaching scans.</source>
        <translation>请先保存新委托人，再附加扫描件。</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="716" />
        <source>Attach a scan or photo</source>
        <translation>附加扫描件或照片</translation>
    </message>
    <message>
        <location filename="../client_profile.py" line="749" />
        <source>Remove “%1” from the library?</source>
        <translation>从材料库移除“%1”？</translation>
    </message>
</context>
<context>
    <name>ConditionsPage</name>
    <message>
        <location filename="../intake_wizard.py" line="231" />
        <source>Conditions</source>
        <translation>受理条件</translation>
    </message>
    <message>
        <location filename="../intake_wizard.py" line="234" />
        <source>Tick every condition the client meets. If one is not met, the case cannot be accepted.</source>
        <translation>逐条勾选委托人符合的条件。有一条不符合则不能受理。</translation>
    </message>
    <message>
        <location filename="../intake_wizard.py" line="241" />
        <source>Not accepted — print the notice</source>
        <translation>不予受理并打印告知书</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <location filename="../crash_dialog.py" line="64" />
        <source>Unexpected error</source>
        <translation>程序内部错误</translation>
    </message>
    <message>
        <location filename="../crash_dialog.py" line="68" />
        <source>AgentDesk hit an internal error. Your saved data is safe; the last action may not have finished.</source>
        <translation>代办通遇到内部错误。已保存的数据不受影响，但刚才的操作可能没有完成。</translation>
    </message>
    <message>
        <location filename="../crash_dialog.py" line="79" />
        <source>The details were written to the log:
%1</source>
        <translation>详细信息已写入日志：
%1</translation>
    </message>
    <message>
        <location filename="../crash_dialog.py" line="87" />
        <source>Copy the report and send it to the township administrator.</source>
        <translation>请复制报告，发给乡镇管理员。</translation>
    </message>
    <message>
        <location filename="../crash_dialog.py" line="95" />
        <source>&amp;Copy report</source>
        <translation>复制报告(&amp;C)</translation>
    </message>
    <message>
        <location filename="../crash_dialog.py" line="99" />
        <source>Open the log &amp;folder</source>
        <translation>打开日志文件夹(&amp;F)</translation>
    </message>
    <message>
        <location filename="../crash_dialog.py" line="113" />
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <location filename="../dashboard.py" line="104" />
        <source>Cases by item</source>
        <translation>按事项统计办件量</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="105" />
        <source>Cases by village</source>
        <translation>按村统计办件量</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="107" />
        <source>Satisfaction (cases rated)</source>
        <translation>满意度分布（已回访办件）</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="110" />
        <source>Overdue open cases by village</source>
        <translation>各村超期在办件</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="121" />
        <source>Deadline warnings by village</source>
        <translation>按村预警</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="122" />
        <source>Deadline warnings by agent</source>
        <translation>按代办员预警</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="138" />
        <source>This year</source>
        <translation>本年</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="139" />
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="140" />
        <source>Last 30 days</source>
        <translation>近 30 天</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="141" />
        <source>Last 12 months</source>
        <translation>近 12 个月</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="142" />
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="147" />
        <source>Show figures</source>
        <translation>统计</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="149" />
        <source>Export ledger…</source>
        <translation>导出台账…</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="159" />
        <source>Period</source>
        <translation>统计期间</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="174" />
        <source>cases entrusted</source>
        <translation>受托办件</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="175" />
        <source>cases concluded</source>
        <translation>办结办件</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="176" />
        <source>concluded on time</source>
        <translation>按时办结率</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="177" />
        <source>working days to conclude, average</source>
        <translation>平均办结用时（工作日）</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="178" />
        <source>trips saved (client came at most once)</source>
        <translation>少跑腿件数（群众最多跑一次）</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="179" />
        <source>satisfaction, average of 5</source>
        <translation>满意度平均分（满分 5）</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="271" />
        <source>Deferred cases still waiting for a document (%1 past the promised date)</source>
        <translation>容缺待补材料办件（%1 件已过承诺日期）</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="181" />
        <source>open cases overdue</source>
        <translation>超期在办件</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="180" />
        <source>Deferred cases still waiting for a document</source>
        <translation>容缺待补材料办件</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="191" />
        <source>Overdue</source>
        <translation>已超期</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="191" />
        <source>Due soon</source>
        <translation>即将到期</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="253" />
        <source>concluded on time (%1 of %2)</source>
        <translation>按时办结率（%2 件中 %1 件按时）</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="260" />
        <source>trips saved: client came at most once (%1 of concluded)</source>
        <translation>少跑腿件数：群众最多跑一次（占办结 %1）</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="266" />
        <source>satisfaction, average of 5 (%1 rated)</source>
        <translation>满意度平均分（满分 5，%1 件已评价）</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="276" />
        <source>open cases overdue (%1 more due within 2 working days)</source>
        <translation>超期在办件（另有 %1 件 2 个工作日内到期）</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="284" />
        <source>%1 stars</source>
        <translation>%1 星</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="306" />
        <location filename="../dashboard.py" line="344" />
        <source>Export ledger</source>
        <translation>导出台账</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="327" />
        <source>Exporting the ledger</source>
        <translation>正在导出台账</translation>
    </message>
    <message>
        <location filename="../dashboard.py" line="345" />
        <source>%1 cases written to
%2</source>
        <translation>已导出 %1 件办件到
%2</translation>
    </message>
</context>
<context>
    <name>DeadlineModel</name>
    <message>
        <location filename="../case_board.py" line="80" />
        <source> (estimated)</source>
        <translation>（预计）</translation>
    </message>
    <message>
        <location filename="../case_board.py" line="88" />
        <source>%1 overdue by %2 working days</source>
        <translation>%1，已超期 %2 个工作日</translation>
    </message>
    <message>
        <location filename="../case_board.py" line="93" />
        <source>%1, %2 working days left</source>
        <translation>%1，剩 %2 个工作日</translation>
    </message>
</context>
<context>
    <name>DeskContext</name>
    <message>
        <location filename="../context.py" line="271" />
        <source>Cancelled; nothing was saved</source>
        <translation>已取消，未保存任何内容</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <location filename="../messages.py" line="72" />
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <location filename="../messages.py" line="73" />
        <source>&amp;Don't save</source>
        <translation>不保存(&amp;D)</translation>
    </message>
    <message>
        <location filename="../messages.py" line="74" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../messages.py" line="96" />
        <source>Open containing &amp;folder</source>
        <translation>打开所在文件夹(&amp;F)</translation>
    </message>
    <message>
        <location filename="../messages.py" line="170" />
        <location filename="../messages.py" line="177" />
        <source>Township hub</source>
        <translation>镇级服务器</translation>
    </message>
    <message>
        <location filename="../messages.py" line="171" />
        <source>Hub address (e.g. https://10.1.2.3:8765)</source>
        <translation>服务器地址（如 https://10.1.2.3:8765）</translation>
    </message>
    <message>
        <location filename="../messages.py" line="177" />
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../messages.py" line="209" />
        <source>Cannot continue</source>
        <translation>无法继续</translation>
    </message>
</context>
<context>
    <name>DocumentsPage</name>
    <message>
        <location filename="../intake_wizard.py" line="288" />
        <source>Documents</source>
        <translation>申请材料</translation>
    </message>
    <message>
        <location filename="../intake_wizard.py" line="291" />
        <source>Documents already in the client's library are marked received. A deferred document needs a promised date.</source>
        <translation>材料库中已有的材料标为已收。容缺须填写承诺补交日期。</translation>
    </message>
    <message>
        <location filename="../intake_wizard.py" line="298" />
        <source>Document</source>
        <translation>材料</translation>
    </message>
    <message>
        <location filename="../intake_wizard.py" line="299" />
        <source>Original/copy</source>
        <translation>原件/复印件</translation>
    </message>
    <message>
        <location filename="../intake_wizard.py" line="300" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../intake_wizard.py" line="301" />
        <source>Promised by</source>
        <translation>承诺补交日期</translation>
    </message>
    <message>
        <location filename="../intake_wizard.py" line="320" />
        <source> (optional)</source>
        <translation>（选交）</translation>
    </message>
    <message>
        <location filename="../intake_wizard.py" line="385" />
        <source>Missing: %1 — the case will be entrusted and the one-time notice printed; accept it when they arrive.</source>
        <translation>缺：%1 —— 将登记委托并打印一次性告知书，材料补齐后再受理。</translation>
    </message>
    <message>
        <location filename="../intake_wizard.py" line="388" />
        <source>Everything required is here or promised: the case will be accepted.</source>
        <translation>必交材料已收齐或已承诺补交：将直接受理。</translation>
    </message>
</context>
<context>
    <name>DocumentsPanel</name>
    <message>
        <location filename="../documents_view.py" line="58" />
        <source>%1: missing</source>
        <translation>%1：未填写</translation>
    </message>
    <message>
        <location filename="../documents_view.py" line="60" />
        <source>%1: not valid</source>
        <translation>%1：有误</translation>
    </message>
    <message>
        <location filename="../documents_view.py" line="84" />
        <source>Document</source>
        <translation>文书</translation>
    </message>
    <message>
        <location filename="../documents_view.py" line="84" />
        <source>Made</source>
        <translation>生成时间</translation>
    </message>
    <message>
        <location filename="../documents_view.py" line="108" />
        <source>&amp;Generate documents</source>
        <translation>生成文书(&amp;G)</translation>
    </message>
    <message>
        <location filename="../documents_view.py" line="109" />
        <source>Print with &amp;blanks</source>
        <translation>留空打印(&amp;B)</translation>
    </message>
    <message>
        <location filename="../documents_view.py" line="110" />
        <source>Print pre&amp;view</source>
        <translation>打印预览(&amp;V)</translation>
    </message>
    <message>
        <location filename="../documents_view.py" line="111" />
        <source>P&amp;rint…</source>
        <translation>打印(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../documents_view.py" line="112" />
        <source>Print the &amp;whole set…</source>
        <translation>打印全套(&amp;W)…</translation>
    </message>
    <message>
        <location filename="../documents_view.py" line="113" />
        <source>&amp;Open in editor</source>
        <translation>用编辑器打开(&amp;O)</translation>
    </message>
    <message>
        <location filename="../documents_view.py" line="116" />
        <source>&amp;Fix selected field</source>
        <translation>补充选中项(&amp;F)</translation>
    </message>
    <message>
        <location filename="../documents_view.py" line="177" />
        <source>Filling the forms…</source>
        <translation>正在填写表格…</translation>
    </message>
    <message>
        <location filename="../documents_view.py" line="194" />
        <source>Filling the forms</source>
        <translation>正在填写表格</translation>
    </message>
    <message>
        <location filename="../documents_view.py" line="199" />
        <source>Filling form %1 of %2…</source>
        <translation>正在填写第 %1 份，共 %2 份…</translation>
    </message>
    <message>
        <location filename="../documents_view.py" line="204" />
        <source>%1 documents written</source>
        <translation>已生成 %1 份文书</translation>
    </message>
    <message>
        <location filename="../documents_view.py" line="207" />
        <source>%1 fields still missing — select one and press Enter to fix it, or print with blanks</source>
        <translation>还有 %1 项未填写——选中一项按回车去补填，或选择“留空打印”</translation>
    </message>
    <message>
        <location filename="../documents_view.py" line="212" />
        <source>failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <location filename="../documents_view.py" line="263" />
        <source>Fields to type</source>
        <translation>需手工填写的项目</translation>
    </message>
    <message>
        <location filename="../documents_view.py" line="293" />
        <source>Whole set</source>
        <translation>全套文书</translation>
    </message>
    <message>
        <location filename="../documents_view.py" line="297" />
        <source>Preparing the print preview…</source>
        <translation>正在准备打印预览…</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location filename="../first_run.py" line="302" />
        <source>AgentDesk – first start</source>
        <translation>代办通 – 首次启动</translation>
    </message>
</context>
<context>
    <name>HandoverPage</name>
    <message>
        <location filename="../handover.py" line="63" />
        <source>Case no.</source>
        <translation>办件编号</translation>
    </message>
    <message>
        <location filename="../handover.py" line="64" />
        <source>Client</source>
        <translation>委托人</translation>
    </message>
    <message>
        <location filename="../handover.py" line="65" />
        <source>Service item</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../handover.py" line="66" />
        <source>Village</source>
        <translation>所属村</translation>
    </message>
    <message>
        <location filename="../handover.py" line="67" />
        <source>Due</source>
        <translation>承诺办结</translation>
    </message>
    <message>
        <location filename="../handover.py" line="72" />
        <source>Batch no.</source>
        <translation>批次号</translation>
    </message>
    <message>
        <location filename="../handover.py" line="72" />
        <source>Made</source>
        <translation>生成时间</translation>
    </message>
    <message>
        <location filename="../handover.py" line="72" />
        <source>Cases</source>
        <translation>办件</translation>
    </message>
    <message>
        <location filename="../handover.py" line="72" />
        <source>Submitted</source>
        <translation>报送时间</translation>
    </message>
    <message>
        <location filename="../handover.py" line="78" />
        <source>Accepted cases waiting to be carried to the township (tick with Space)</source>
        <translation>待送乡镇的已受理办件（空格键勾选）</translation>
    </message>
    <message>
        <location filename="../handover.py" line="84" />
        <source>Tick &amp;all</source>
        <translation>全选(&amp;A)</translation>
    </message>
    <message>
        <location filename="../handover.py" line="87" />
        <source>Make &amp;batch and print its list</source>
        <translation>生成批次并打印交接清单(&amp;B)</translation>
    </message>
    <message>
        <location filename="../handover.py" line="93" />
        <source>Batches</source>
        <translation>交接批次</translation>
    </message>
    <message>
        <location filename="../handover.py" line="98" />
        <source>&amp;Print the list</source>
        <translation>打印交接清单(&amp;P)</translation>
    </message>
    <message>
        <location filename="../handover.py" line="99" />
        <source>Print the &amp;whole batch</source>
        <translation>打印整批文书(&amp;W)</translation>
    </message>
    <message>
        <location filename="../handover.py" line="100" />
        <source>&amp;Open the list</source>
        <translation>打开交接清单(&amp;O)</translation>
    </message>
    <message>
        <location filename="../handover.py" line="101" />
        <source>Mark &amp;submitted</source>
        <translation>标记为已报送(&amp;S)</translation>
    </message>
    <message>
        <location filename="../handover.py" line="165" />
        <source>not yet</source>
        <translation>未报送</translation>
    </message>
    <message>
        <location filename="../handover.py" line="202" />
        <location filename="../handover.py" line="288" />
        <source>Hand-over</source>
        <translation>交接</translation>
    </message>
    <message>
        <location filename="../handover.py" line="202" />
        <source>Tick the cases to carry first.</source>
        <translation>请先勾选要送交的办件。</translation>
    </message>
    <message>
        <location filename="../handover.py" line="217" />
        <source>Batch made; its list is written.</source>
        <translation>批次已生成，交接清单已写好。</translation>
    </message>
    <message>
        <location filename="../handover.py" line="224" />
        <source>Batch made, but the list is missing: %1</source>
        <translation>批次已生成，但交接清单还缺：%1</translation>
    </message>
    <message>
        <location filename="../handover.py" line="285" />
        <source>Mark every case of batch %1 as submitted to the township?</source>
        <translation>将批次 %1 的全部办件标记为已报送乡镇？</translation>
    </message>
    <message>
        <location filename="../handover.py" line="299" />
        <source>%1 cases submitted</source>
        <translation>已报送 %1 件</translation>
    </message>
</context>
<context>
    <name>HubPage</name>
    <message>
        <location filename="../first_run.py" line="163" />
        <source>This is not a hub address, e.g. https://hub.example.gov.cn</source>
        <translation>这不是服务器地址，应类似 https://hub.example.gov.cn</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="171" />
        <source>Township hub</source>
        <translation>镇级服务器</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="174" />
        <source>The hub address comes from the township. Without it the desk works offline and syncs once an address is set.</source>
        <translation>服务器地址由乡镇提供。没有地址时本机离线工作，填写地址后再同步。</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="178" />
        <source>Hub &amp;address</source>
        <translation>服务器地址(&amp;A)</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="179" />
        <source>Work offline for now</source>
        <translation>暂时离线工作</translation>
    </message>
</context>
<context>
    <name>IntakeWizard</name>
    <message>
        <location filename="../intake_wizard.py" line="78" />
        <source>New intake</source>
        <translation>新办件受理</translation>
    </message>
    <message>
        <location filename="../intake_wizard.py" line="111" />
        <source>New intake — %1</source>
        <translation>新办件受理 — %1</translation>
    </message>
</context>
<context>
    <name>ItemPage</name>
    <message>
        <location filename="../intake_wizard.py" line="153" />
        <source>Which service?</source>
        <translation>办理什么事项？</translation>
    </message>
    <message>
        <location filename="../intake_wizard.py" line="155" />
        <source>Name, code, pinyin or initials (e.g. dibao, db)</source>
        <translation>事项名称、编码、拼音或首字母（如 dibao、db）</translation>
    </message>
    <message>
        <location filename="../intake_wizard.py" line="158" />
        <source>Find a service item</source>
        <translation>查找服务事项</translation>
    </message>
</context>
<context>
    <name>JobRow</name>
    <message>
        <location filename="../job_progress.py" line="32" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../job_progress.py" line="51" />
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../labels.py" line="66" />
        <location filename="../labels.py" line="186" />
        <source>promised %1</source>
        <translation>承诺 %1</translation>
    </message>
    <message>
        <location filename="../labels.py" line="150" />
        <location filename="../labels.py" line="237" />
        <source>Due date moved from %1 to %2 by the holiday schedule</source>
        <translation>办结期限因放假安排调整由 %1 改为 %2</translation>
    </message>
    <message>
        <location filename="../labels.py" line="183" />
        <source>Received</source>
        <translation>已收</translation>
    </message>
    <message>
        <location filename="../labels.py" line="184" />
        <source>Missing</source>
        <translation>缺</translation>
    </message>
    <message>
        <location filename="../labels.py" line="185" />
        <source>Deferred</source>
        <translation>容缺</translation>
    </message>
    <message>
        <location filename="../labels.py" line="187" />
        <source>Male</source>
        <translation>男</translation>
    </message>
    <message>
        <location filename="../labels.py" line="188" />
        <source>Female</source>
        <translation>女</translation>
    </message>
    <message>
        <location filename="../labels.py" line="189" />
        <source>Original</source>
        <translation>原件</translation>
    </message>
    <message>
        <location filename="../labels.py" line="190" />
        <source>Copy</source>
        <translation>复印件</translation>
    </message>
</context>
<context>
    <name>LanguagePage</name>
    <message>
        <location filename="../first_run.py" line="60" />
        <source>Welcome to AgentDesk</source>
        <translation>欢迎使用代办通</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="61" />
        <source>Choose the language of the program.</source>
        <translation>请选择程序界面的语言。</translation>
    </message>
</context>
<context>
    <name>LoginPage</name>
    <message>
        <location filename="../first_run.py" line="206" />
        <source>Your login</source>
        <translation>您的登录账号</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="207" />
        <source>The password is checked by the hub at the first sync.</source>
        <translation>密码将在第一次同步时由服务器核对。</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="209" />
        <source>&amp;User name</source>
        <translation>用户名(&amp;U)</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="210" />
        <source>Hub &amp;password</source>
        <translation>服务器密码(&amp;P)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="94" />
        <location filename="../main_window.py" line="589" />
        <source>AgentDesk</source>
        <translation>代办通</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="164" />
        <source>Opening the database…</source>
        <translation>正在打开数据库……</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="182" />
        <source>DEMO DATA</source>
        <translation>演示数据</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="194" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="196" />
        <source>&amp;Import roster…</source>
        <translation>导入花名册(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="199" />
        <source>&amp;Export roster…</source>
        <translation>导出花名册(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="203" />
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="205" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="206" />
        <source>&amp;Work</source>
        <translation>办理(&amp;W)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="208" />
        <source>&amp;New client…</source>
        <translation>新委托人(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="211" />
        <source>New &amp;intake for the selected client…</source>
        <translation>为选中的委托人新办件(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="215" />
        <source>New one-stop &amp;request for the selected client…</source>
        <translation>为选中的委托人新建“一件事”(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="219" />
        <source>&amp;Go</source>
        <translation>转到(&amp;G)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="220" />
        <source>Find a client</source>
        <translation>查找委托人</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="222" />
        <source>&amp;Hand-over batches</source>
        <translation>交接批次(&amp;H)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="225" />
        <source>&amp;Sync with the township hub now</source>
        <translation>立即与镇级服务器同步(&amp;S)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="229" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="232" />
        <source>User &amp;manual</source>
        <translation>操作手册(&amp;M)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="236" />
        <source>&amp;About AgentDesk</source>
        <translation>关于代办通(&amp;A)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="315" />
        <source>Older backups</source>
        <translation>以前的备份</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="317" />
        <source>%1 backups from before the password are not encrypted. Delete them now by overwriting (Yes), or keep them, encrypted with the new password (No)?</source>
        <translation>有 %1 个设置密码之前的备份没有加密。现在覆盖后删除它们（是），还是用新密码加密后保留（否）？</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="352" />
        <source>Upgrading the database for this version of AgentDesk…
A copy of the old database is kept in %1.</source>
        <translation>正在为新版本代办通升级数据库……
旧数据库的副本保存在 %1。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="356" />
        <source>Upgrading the database…</source>
        <translation>正在升级数据库……</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="376" />
        <source>The database could not be opened.</source>
        <translation>无法打开数据库。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="378" />
        <source>The database cannot be opened</source>
        <translation>无法打开数据库</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="393" />
        <source>Clients</source>
        <translation>委托人</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="397" />
        <source>Cases</source>
        <translation>办件</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="402" />
        <source>Hand-over</source>
        <translation>交接</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="403" />
        <source>One-stop requests</source>
        <translation>一件事</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="462" />
        <source>Today</source>
        <translation>今日待办</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="466" />
        <source>Today (%1)</source>
        <translation>今日待办（%1）</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="483" />
        <source>Review</source>
        <translation>审核</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="484" />
        <source>Supervision</source>
        <translation>电子监察</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="569" />
        <source>Creating demo data…</source>
        <translation>正在生成演示数据……</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="581" />
        <source>Demo data ready</source>
        <translation>演示数据已生成</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="619" />
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="658" />
        <source>Holidays of %1 are estimated from the law until the State Council's schedule is installed</source>
        <translation>%1 年节假日为预计（按法定假日推算，以国务院公布的放假安排为准）</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="708" />
        <source>New intake</source>
        <translation>新办件受理</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="708" />
        <location filename="../main_window.py" line="724" />
        <source>Select a client in the list first.</source>
        <translation>请先在列表中选中一位委托人。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="724" />
        <source>New one-stop request</source>
        <translation>新建“一件事”</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="773" />
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="774" />
        <source>The language changes the next time AgentDesk starts.</source>
        <translation>界面语言将在下次启动时生效。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="792" />
        <source>User manual</source>
        <translation>操作手册</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="798" />
        <source>About AgentDesk</source>
        <translation>关于代办通</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="827" />
        <source>Save the changes to this profile?</source>
        <translation>保存对此档案的修改吗？</translation>
    </message>
</context>
<context>
    <name>ManualFieldsForm</name>
    <message>
        <location filename="../manual_fields.py" line="137" />
        <source>Required</source>
        <translation>必填</translation>
    </message>
</context>
<context>
    <name>ManualPage</name>
    <message>
        <location filename="../intake_wizard.py" line="396" />
        <source>Fields to type</source>
        <translation>需手工填写的项目</translation>
    </message>
    <message>
        <location filename="../intake_wizard.py" line="397" />
        <source>What the forms need that the profile does not hold.</source>
        <translation>表格需要而档案中没有的内容。</translation>
    </message>
    <message>
        <location filename="../intake_wizard.py" line="400" />
        <source>Nothing to type for this service.</source>
        <translation>此事项无需手工填写。</translation>
    </message>
</context>
<context>
    <name>ModePage</name>
    <message>
        <location filename="../first_run.py" line="82" />
        <source>How will you use this computer?</source>
        <translation>这台电脑用来做什么？</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="83" />
        <source>Set up this desk for my work</source>
        <translation>为我的日常工作设置本机</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="84" />
        <source>Try AgentDesk with sample data (demo)</source>
        <translation>用示例数据试用代办通（演示）</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="87" />
        <source>Demo data is made up and marked “DEMO DATA” in the window. Do not enter real clients into a demo desk.</source>
        <translation>演示数据是虚构的，窗口中标有“演示数据”。请不要在演示数据中录入真实的委托人。</translation>
    </message>
</context>
<context>
    <name>NewHubPasswordDialog</name>
    <message>
        <location filename="../lock.py" line="101" />
        <source>Choose a new hub password</source>
        <translation>设置新的服务器密码</translation>
    </message>
    <message>
        <location filename="../lock.py" line="110" />
        <source>&amp;New password</source>
        <translation>新密码(&amp;N)</translation>
    </message>
    <message>
        <location filename="../lock.py" line="111" />
        <source>&amp;Again</source>
        <translation>再输一次(&amp;A)</translation>
    </message>
    <message>
        <location filename="../lock.py" line="126" />
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>OrganisationBox</name>
    <message>
        <location filename="../organisation_box.py" line="25" />
        <source>At most %1 characters</source>
        <translation>最多 %1 字</translation>
    </message>
    <message>
        <location filename="../organisation_box.py" line="53" />
        <source>Enterprise or other organisation</source>
        <translation>企业和其他组织</translation>
    </message>
    <message>
        <location filename="../organisation_box.py" line="56" />
        <source>This client is an &amp;organisation (unified social credit code)</source>
        <translation>委托人是企业或其他组织（统一社会信用代码）(&amp;O)</translation>
    </message>
    <message>
        <location filename="../organisation_box.py" line="62" />
        <source>Legal representative</source>
        <translation>法定代表人</translation>
    </message>
    <message>
        <location filename="../organisation_box.py" line="63" />
        <source>Representative's ID number</source>
        <translation>法定代表人身份证号码</translation>
    </message>
    <message>
        <location filename="../organisation_box.py" line="64" />
        <source>Contact person</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location filename="../organisation_box.py" line="65" />
        <source>Contact phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location filename="../organisation_box.py" line="66" />
        <source>Business scope</source>
        <translation>经营范围</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <location filename="../lock.py" line="43" />
        <source>Set a password</source>
        <translation>设置密码</translation>
    </message>
    <message>
        <location filename="../lock.py" line="43" />
        <source>Unlock AgentDesk</source>
        <translation>解锁代办通</translation>
    </message>
    <message>
        <location filename="../lock.py" line="47" />
        <source>The client data on this PC will be encrypted with this password. At least 8 characters. If it is lost, the data can only come back from the township hub.</source>
        <translation>本机的委托人资料将用此密码加密。密码至少 8 位。密码遗失后，数据只能从乡镇服务器重新同步。</translation>
    </message>
    <message>
        <location filename="../lock.py" line="51" />
        <source>Enter the password to open the client data.</source>
        <translation>请输入密码以打开委托人资料。</translation>
    </message>
    <message>
        <location filename="../lock.py" line="60" />
        <source>&amp;Password</source>
        <translation>密码(&amp;P)</translation>
    </message>
    <message>
        <location filename="../lock.py" line="63" />
        <source>&amp;Again</source>
        <translation>再输一次(&amp;A)</translation>
    </message>
    <message>
        <location filename="../lock.py" line="69" />
        <source>&amp;Remember on this PC (no password at start; use only on a PC nobody else uses)</source>
        <translation>在本机记住密码(&amp;R)（启动时不再询问；仅限他人不用的电脑）</translation>
    </message>
    <message>
        <location filename="../lock.py" line="86" />
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>PasswordPage</name>
    <message>
        <location filename="../first_run.py" line="236" />
        <source>At least 8 characters.</source>
        <translation>密码至少 8 个字符。</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="237" />
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="238" />
        <source>Too simple: not only one or two repeated digits.</source>
        <translation>密码过于简单：不能只用一两个重复的数字。</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="251" />
        <source>Protect the data on this computer</source>
        <translation>保护本机数据</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="254" />
        <source>Clients' ID numbers and family details are kept on this computer. This password will be asked when AgentDesk opens. Write it down and keep it safe.</source>
        <translation>委托人的身份证号码和家庭情况保存在这台电脑上。打开代办通时需要输入此密码，请记下并妥善保管。</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="259" />
        <source>&amp;Password</source>
        <translation>密码(&amp;P)</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="260" />
        <source>&amp;Repeat</source>
        <translation>再输一次(&amp;R)</translation>
    </message>
</context>
<context>
    <name>PrintPage</name>
    <message>
        <location filename="../intake_wizard.py" line="431" />
        <source>Check and print</source>
        <translation>检查并打印</translation>
    </message>
    <message>
        <location filename="../intake_wizard.py" line="434" />
        <source>Fields the forms still lack are listed first; select one and press Enter to fix it. Finish creates the case and fills the forms.</source>
        <translation>先列出表格还缺的项目，选中一项按回车即可去补充。点“完成”建立办件并填写表格。</translation>
    </message>
    <message>
        <location filename="../intake_wizard.py" line="462" />
        <source>Checking the forms…</source>
        <translation>正在检查表格…</translation>
    </message>
    <message>
        <location filename="../intake_wizard.py" line="476" />
        <source>%1 fields are missing. You may still create the case; incomplete forms are not printed until fixed.</source>
        <translation>还缺 %1 项。仍可建立办件；缺项的表格补齐后才打印。</translation>
    </message>
    <message>
        <location filename="../intake_wizard.py" line="481" />
        <source>Every form can be filled.</source>
        <translation>所有表格都可以填写。</translation>
    </message>
    <message>
        <location filename="../intake_wizard.py" line="508" />
        <source>Creating the case and filling the forms…</source>
        <translation>正在建立办件并填写表格…</translation>
    </message>
    <message>
        <location filename="../intake_wizard.py" line="519" />
        <source>Filling the forms</source>
        <translation>正在填写表格</translation>
    </message>
    <message>
        <location filename="../intake_wizard.py" line="534" />
        <source>Case created; %1 documents written. Preview and print them below.</source>
        <translation>办件已建立，已生成 %1 份文书。可在下方预览和打印。</translation>
    </message>
    <message>
        <location filename="../intake_wizard.py" line="538" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <location filename="../printing.py" line="298" />
        <source>%1 pages</source>
        <translation>共 %1 页</translation>
    </message>
    <message>
        <location filename="../printing.py" line="301" />
        <source>%1 documents, %2 pages</source>
        <translation>%1 份文书，共 %2 页</translation>
    </message>
    <message>
        <location filename="../printing.py" line="303" />
        <source>%1 (%2 p.)</source>
        <translation>%1（%2 页）</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <location filename="../qt_strings.py" line="16" />
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <location filename="../qt_strings.py" line="17" />
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../qt_strings.py" line="18" />
        <source>File &amp;name:</source>
        <translation>文件名(&amp;N)：</translation>
    </message>
</context>
<context>
    <name>RequestFiguresBox</name>
    <message>
        <location filename="../request_figures.py" line="24" />
        <source>One-stop requests</source>
        <translation>一件事</translation>
    </message>
    <message>
        <location filename="../request_figures.py" line="28" />
        <source>Bundle</source>
        <translation>一件事</translation>
    </message>
    <message>
        <location filename="../request_figures.py" line="28" />
        <source>Completed</source>
        <translation>已办结</translation>
    </message>
    <message>
        <location filename="../request_figures.py" line="28" />
        <source>On time</source>
        <translation>按时办结率</translation>
    </message>
    <message>
        <location filename="../request_figures.py" line="45" />
        <source>%1 opened, %2 completed; trips saved per request: %3</source>
        <translation>新建 %1 件，办结 %2 件；平均每件少跑 %3 次</translation>
    </message>
</context>
<context>
    <name>RequestPanel</name>
    <message>
        <location filename="../request_page.py" line="96" />
        <source>Service item</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="97" />
        <source>Case no.</source>
        <translation>办件编号</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="98" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="99" />
        <source>Waits for</source>
        <translation>等待前置事项</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="100" />
        <source>Due</source>
        <translation>承诺办结</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="107" />
        <source>Document (collected once)</source>
        <translation>材料（一次收取）</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="107" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="107" />
        <source>Used by</source>
        <translation>用于事项</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="110" />
        <source>&amp;Accept the selected case now</source>
        <translation>受理选中的办件(&amp;A)</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="112" />
        <source>&amp;Received for every case</source>
        <translation>已收到，用于全部办件(&amp;R)</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="114" />
        <source>Print the one-time &amp;notice</source>
        <translation>打印一次性告知书(&amp;N)</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="116" />
        <source>Print the combined &amp;application</source>
        <translation>打印一表申请(&amp;A)</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="119" />
        <source>&amp;Withdraw the whole request…</source>
        <translation>撤回整个“一件事”(&amp;W)…</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="135" />
        <source>Cases</source>
        <translation>办件</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="136" />
        <source>Documents collected once</source>
        <translation>一次收取的材料</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="158" />
        <source>in progress</source>
        <translation>办理中</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="159" />
        <source>completed</source>
        <translation>已办结</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="160" />
        <source>withdrawn</source>
        <translation>已撤回</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="162" />
        <source>%1 %2 — %3 · %4 · overall deadline %5</source>
        <translation>%1 %2 — %3 · %4 · 总办结期限 %5</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="171" />
        <source> (%1 working days left)</source>
        <translation>（还剩 %1 个工作日）</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="176" />
        <source>%1 of %2 cases concluded</source>
        <translation>已办结 %1 / %2 件</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="190" />
        <source>Only the agent serving the client may withdraw a request.</source>
        <translation>只有为委托人代办的代办员或首席服务官才能撤回“一件事”。</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="200" />
        <source>can start now</source>
        <translation>可以开始办理</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="295" />
        <source>Print the combined application</source>
        <translation>打印一表申请</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="296" />
        <source>The profile still lacks %1; complete it first.</source>
        <translation>档案还缺少 %1，请先补全。</translation>
    </message>
</context>
<context>
    <name>RequestReviewView</name>
    <message>
        <location filename="../request_review.py" line="53" />
        <source>Review one-stop request</source>
        <translation>审核“一件事”</translation>
    </message>
    <message>
        <location filename="../request_review.py" line="60" />
        <source>Service item</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../request_review.py" line="61" />
        <source>Case no.</source>
        <translation>办件编号</translation>
    </message>
    <message>
        <location filename="../request_review.py" line="62" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../request_review.py" line="63" />
        <source>Review</source>
        <translation>审核</translation>
    </message>
    <message>
        <location filename="../request_review.py" line="64" />
        <source>Waits for</source>
        <translation>等待前置事项</translation>
    </message>
    <message>
        <location filename="../request_review.py" line="65" />
        <source>Decisions now</source>
        <translation>现在可作的决定</translation>
    </message>
    <message>
        <location filename="../request_review.py" line="73" />
        <source>Document (collected once)</source>
        <translation>材料（一次收取）</translation>
    </message>
    <message>
        <location filename="../request_review.py" line="73" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../request_review.py" line="73" />
        <source>Used by</source>
        <translation>用于事项</translation>
    </message>
    <message>
        <location filename="../request_review.py" line="84" />
        <source>Open the case's review</source>
        <translation>打开该办件的审核</translation>
    </message>
    <message>
        <location filename="../request_review.py" line="118" />
        <source>Review one-stop request %1</source>
        <translation>审核“一件事” %1</translation>
    </message>
    <message>
        <location filename="../request_review.py" line="120" />
        <source>%1 %2 — %3 · overall deadline %4 · %5 of %6 cases concluded</source>
        <translation>%1 %2 — %3 · 总办结期限 %4 · 已办结 %5 / %6 件</translation>
    </message>
    <message>
        <location filename="../request_review.py" line="155" />
        <source>Waiting for review</source>
        <translation>待审核</translation>
    </message>
    <message>
        <location filename="../request_review.py" line="156" />
        <source>Approved</source>
        <translation>准予</translation>
    </message>
    <message>
        <location filename="../request_review.py" line="157" />
        <source>Returned</source>
        <translation>已退回</translation>
    </message>
</context>
<context>
    <name>RequestsPage</name>
    <message>
        <location filename="../request_page.py" line="337" />
        <source>Request no.</source>
        <translation>一件事编号</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="338" />
        <source>Bundle</source>
        <translation>一件事</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="339" />
        <source>Client</source>
        <translation>委托人</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="340" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="341" />
        <source>Overall deadline</source>
        <translation>总办结期限</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="349" />
        <source>&amp;New one-stop request for the selected client…</source>
        <translation>为选中的委托人新建“一件事”(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="361" />
        <source>One-stop requests</source>
        <translation>一件事</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="371" />
        <source>in progress</source>
        <translation>办理中</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="372" />
        <source>completed</source>
        <translation>已办结</translation>
    </message>
    <message>
        <location filename="../request_page.py" line="373" />
        <source>withdrawn</source>
        <translation>已撤回</translation>
    </message>
</context>
<context>
    <name>ReviewQueuePage</name>
    <message>
        <location filename="../review_queue.py" line="119" />
        <source>Review</source>
        <translation>审核</translation>
    </message>
    <message>
        <location filename="../review_queue.py" line="120" />
        <source>Case no.</source>
        <translation>办件编号</translation>
    </message>
    <message>
        <location filename="../review_queue.py" line="121" />
        <source>Service item</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../review_queue.py" line="122" />
        <source>Client</source>
        <translation>委托人</translation>
    </message>
    <message>
        <location filename="../review_queue.py" line="123" />
        <source>Village</source>
        <translation>所属村</translation>
    </message>
    <message>
        <location filename="../review_queue.py" line="124" />
        <source>Agent</source>
        <translation>代办员</translation>
    </message>
    <message>
        <location filename="../review_queue.py" line="125" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../review_queue.py" line="127" />
        <source>Deadline</source>
        <translation>办结期限</translation>
    </message>
    <message>
        <location filename="../review_queue.py" line="126" />
        <source>Entrusted on</source>
        <translation>委托日期</translation>
    </message>
    <message>
        <location filename="../review_queue.py" line="139" />
        <source>Open cases</source>
        <translation>在办</translation>
    </message>
    <message>
        <location filename="../review_queue.py" line="140" />
        <source>Waiting for review</source>
        <translation>待审核</translation>
    </message>
    <message>
        <location filename="../review_queue.py" line="141" />
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../review_queue.py" line="145" />
        <source>All villages</source>
        <translation>全部村</translation>
    </message>
    <message>
        <location filename="../review_queue.py" line="146" />
        <source>All items</source>
        <translation>全部事项</translation>
    </message>
    <message>
        <location filename="../review_queue.py" line="147" />
        <source>All agents</source>
        <translation>全部代办员</translation>
    </message>
    <message>
        <location filename="../review_queue.py" line="150" />
        <source>Any deadline</source>
        <translation>全部期限</translation>
    </message>
    <message>
        <location filename="../review_queue.py" line="151" />
        <source>Overdue</source>
        <translation>已超期</translation>
    </message>
    <message>
        <location filename="../review_queue.py" line="152" />
        <source>Due soon</source>
        <translation>即将到期</translation>
    </message>
    <message>
        <location filename="../review_queue.py" line="158" />
        <source>Review the whole request…</source>
        <translation>审核整个“一件事”…</translation>
    </message>
    <message>
        <location filename="../review_queue.py" line="238" />
        <source>%1 cases, %2 waiting for review</source>
        <translation>共 %1 件，待审核 %2 件</translation>
    </message>
</context>
<context>
    <name>ReviewTableModel</name>
    <message>
        <location filename="../review_queue.py" line="63" />
        <source>Waiting for review</source>
        <translation>待审核</translation>
    </message>
    <message>
        <location filename="../review_queue.py" line="64" />
        <source>Approved</source>
        <translation>准予</translation>
    </message>
    <message>
        <location filename="../review_queue.py" line="65" />
        <source>Returned</source>
        <translation>已退回</translation>
    </message>
    <message>
        <location filename="../review_queue.py" line="92" />
        <source> (returned %1×)</source>
        <translation>（退回 %1 次）</translation>
    </message>
</context>
<context>
    <name>ReviewView</name>
    <message>
        <location filename="../review_view.py" line="107" />
        <source>Review case</source>
        <translation>审核办件</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="111" />
        <source>Show ID number</source>
        <translation>查看完整身份证号</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="115" />
        <source>Document</source>
        <translation>材料</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="115" />
        <source>Original/copy</source>
        <translation>原件/复印件</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="115" />
        <location filename="../review_view.py" line="210" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="118" />
        <source>Printed form</source>
        <translation>已生成表单</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="118" />
        <source>Made</source>
        <translation>生成时间</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="121" />
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="121" />
        <source>Step</source>
        <translation>环节</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="121" />
        <source>By</source>
        <translation>经办人</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="121" />
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="146" />
        <source>ID number</source>
        <translation>身份证号码</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="148" />
        <source>Case</source>
        <translation>办件</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="149" />
        <source>Client</source>
        <translation>委托人</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="155" />
        <source>Select a document to see its scan.</source>
        <translation>选择一项材料查看其扫描件。</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="156" />
        <source>Open in system viewer</source>
        <translation>用系统程序打开</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="161" />
        <source>Required documents</source>
        <translation>申请材料</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="162" />
        <source>Scan</source>
        <translation>扫描件</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="165" />
        <location filename="../review_view.py" line="361" />
        <source>Open form</source>
        <translation>打开表单</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="167" />
        <source>Printed forms</source>
        <translation>已生成表单</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="168" />
        <source>Timeline</source>
        <translation>办理过程</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="170" />
        <source>Review the whole request…</source>
        <translation>审核整个“一件事”…</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="204" />
        <source>Review case %1</source>
        <translation>审核办件 %1</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="208" />
        <source>Case no.</source>
        <translation>办件编号</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="209" />
        <source>Service item</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="211" />
        <source>Entrusted on</source>
        <translation>委托日期</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="212" />
        <source>Deadline</source>
        <translation>办结期限</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="214" />
        <source>Accepted with deferral</source>
        <translation>容缺受理</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="215" />
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="215" />
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="223" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="224" />
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="225" />
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="226" />
        <source>Village</source>
        <translation>所属村</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="227" />
        <source>Address</source>
        <translation>家庭住址</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="265" />
        <source> (no scan on this desk)</source>
        <translation>（本机无扫描件）</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="312" />
        <source>No scan of this document on this desk.</source>
        <translation>本机没有该材料的扫描件。</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="314" />
        <source>Loading the scan…</source>
        <translation>正在载入扫描件…</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="338" />
        <source>%1 page(s)</source>
        <translation>共 %1 页</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="340" />
        <source>This scan cannot be shown here; open it in the system viewer.</source>
        <translation>此扫描件无法在此显示，请用系统程序打开。</translation>
    </message>
    <message>
        <location filename="../review_view.py" line="362" />
        <source>This form was printed on another desk; its file is not on this PC.</source>
        <translation>这份表单是在另一台电脑上打印的，本机没有它的文件。</translation>
    </message>
</context>
<context>
    <name>RolePage</name>
    <message>
        <location filename="../first_run.py" line="119" />
        <source>Your role</source>
        <translation>您的岗位</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="120" />
        <source>Village proxy agent or hall helper</source>
        <translation>村级代办员或大厅帮办员</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="121" />
        <source>Chief service officer (township or county hall)</source>
        <translation>首席服务官（乡镇或县级政务服务大厅）</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="122" />
        <source>Township reviewer</source>
        <translation>乡镇审核人员</translation>
    </message>
</context>
<context>
    <name>RosterActions</name>
    <message>
        <location filename="../roster_actions.py" line="26" />
        <source>Roster (%1)</source>
        <translation>花名册 (%1)</translation>
    </message>
    <message>
        <location filename="../roster_actions.py" line="41" />
        <location filename="../roster_actions.py" line="106" />
        <source>Import roster</source>
        <translation>导入花名册</translation>
    </message>
    <message>
        <location filename="../roster_actions.py" line="62" />
        <source>Importing roster %1</source>
        <translation>正在导入花名册 %1</translation>
    </message>
    <message>
        <location filename="../roster_actions.py" line="64" />
        <source>Importing roster: %1 of %2 rows</source>
        <translation>正在导入花名册：%1 / %2 行</translation>
    </message>
    <message>
        <location filename="../roster_actions.py" line="77" />
        <source>The roster names villages this desk does not have yet: %1. Add them to this desk's township and import those rows?</source>
        <translation>花名册中有本机尚未设置的村：%1。是否把这些村添加到本机所在乡镇，并导入这些行？</translation>
    </message>
    <message>
        <location filename="../roster_actions.py" line="82" />
        <source>Add villages</source>
        <translation>添加村</translation>
    </message>
    <message>
        <location filename="../roster_actions.py" line="96" />
        <source>Roster imported: %1</source>
        <translation>花名册已导入：%1</translation>
    </message>
    <message>
        <location filename="../roster_actions.py" line="101" />
        <source>%1 rows have ID numbers ending in 000 that Excel may have cut off. Import them anyway, after checking them against the originals?</source>
        <translation>有 %1 行的身份证号码末三位是 000，疑似被 Excel 截断。请对照原件核对，确认无误后仍要导入这些行吗？</translation>
    </message>
    <message>
        <location filename="../roster_actions.py" line="119" />
        <location filename="../roster_actions.py" line="127" />
        <source>Export roster</source>
        <translation>导出花名册</translation>
    </message>
    <message>
        <location filename="../roster_actions.py" line="128" />
        <source>Export full ID and phone numbers (needed to re-import the roster)? A full export is recorded in the audit trail. Answer No for a masked roster.</source>
        <translation>是否导出完整的身份证号和电话（重新导入花名册时需要）？完整导出将记入审计记录。选“否”则导出遮蔽后的花名册。</translation>
    </message>
    <message>
        <location filename="../roster_actions.py" line="142" />
        <source>Exporting roster</source>
        <translation>正在导出花名册</translation>
    </message>
    <message>
        <location filename="../roster_actions.py" line="145" />
        <source>Roster exported</source>
        <translation>花名册已导出</translation>
    </message>
    <message>
        <location filename="../roster_actions.py" line="146" />
        <source>Exported %1 clients to %2</source>
        <translation>已导出 %1 人到 %2</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../settings_dialog.py" line="44" />
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="55" />
        <source>Never</source>
        <translation>从不</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="60" />
        <source>&amp;Font size</source>
        <translation>字号(&amp;F)</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="61" />
        <source>&amp;Language (after restart)</source>
        <translation>界面语言（重启后生效）(&amp;L)</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="62" />
        <source>&amp;Lock after idle minutes</source>
        <translation>无操作自动锁定（分钟）(&amp;L)</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="63" />
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="78" />
        <source>Small</source>
        <translation>小</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="79" />
        <source>Normal</source>
        <translation>标准</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="80" />
        <source>Larger</source>
        <translation>较大</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="81" />
        <source>Large</source>
        <translation>大</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="82" />
        <source>Extra large</source>
        <translation>特大</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="87" />
        <source>The agent (printed on every form)</source>
        <translation>代办员（打印在每份表格上）</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="91" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="92" />
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="93" />
        <source>ID number</source>
        <translation>身份证号码</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="94" />
        <source>Village</source>
        <translation>所属村</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="95" />
        <source>Service room</source>
        <translation>便民服务室</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="112" />
        <location filename="../settings_dialog.py" line="154" />
        <source>Township hub connection</source>
        <translation>与乡镇服务器的连接</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="117" />
        <source>none (the system's authorities only)</source>
        <translation>无（只信任系统自带的证书机构）</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="122" />
        <source>&amp;Import certificate…</source>
        <translation>导入证书(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="125" />
        <source>Trusted certificate (SHA-256)</source>
        <translation>已信任的证书（SHA-256 指纹）</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="128" />
        <source>Allow an unencrypted http:// hub (administrator's choice)</source>
        <translation>允许不加密的 http:// 服务器（由管理员决定）</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="134" />
        <source>Passwords, tokens and client data would cross the network unencrypted. The Sync page keeps a warning while this is on.</source>
        <translation>密码、登录凭据和委托人信息将以明文在网络上传输。开启期间“同步”页面一直显示警告。</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="156" />
        <source>Only an administrator should allow this, for a hub inside a closed network. Allow an unencrypted hub?</source>
        <translation>只应由管理员为封闭内网中的服务器开启。确定允许不加密的连接吗？</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="172" />
        <source>Import certificate</source>
        <translation>导入证书</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="186" />
        <source>Certificate trusted. Compare its SHA-256 fingerprint with the one the hub shows at start:
%1</source>
        <translation>已信任该证书。请将其 SHA-256 指纹与乡镇服务器启动时显示的指纹核对：
%1</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="192" />
        <source>Certificates (*.pem *.crt *.cer *.der)</source>
        <translation>证书文件 (*.pem *.crt *.cer *.der)</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="220" />
        <source>Official calendar (days off on weekdays, worked weekends)</source>
        <translation>放假安排（工作日放假、周末上班）</translation>
    </message>
</context>
<context>
    <name>SyncField</name>
    <message>
        <location filename="../labels.py" line="200" />
        <source>Name</source>
        <translation>姓名/名称</translation>
    </message>
    <message>
        <location filename="../labels.py" line="201" />
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <location filename="../labels.py" line="202" />
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <location filename="../labels.py" line="203" />
        <source>Date of birth</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <location filename="../labels.py" line="204" />
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location filename="../labels.py" line="205" />
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../labels.py" line="206" />
        <source>Village</source>
        <translation>所属村</translation>
    </message>
    <message>
        <location filename="../labels.py" line="207" />
        <source>Household</source>
        <translation>所属户</translation>
    </message>
    <message>
        <location filename="../labels.py" line="208" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../labels.py" line="209" />
        <source>Outcome</source>
        <translation>办结结果</translation>
    </message>
    <message>
        <location filename="../labels.py" line="210" />
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <location filename="../labels.py" line="211" />
        <source>Review state</source>
        <translation>审核状态</translation>
    </message>
    <message>
        <location filename="../labels.py" line="212" />
        <source>Times returned</source>
        <translation>退回次数</translation>
    </message>
    <message>
        <location filename="../labels.py" line="213" />
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../labels.py" line="214" />
        <source>Status before</source>
        <translation>原状态</translation>
    </message>
    <message>
        <location filename="../labels.py" line="215" />
        <source>Status after</source>
        <translation>新状态</translation>
    </message>
    <message>
        <location filename="../labels.py" line="216" />
        <source>Handled by</source>
        <translation>经办人</translation>
    </message>
    <message>
        <location filename="../labels.py" line="217" />
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../labels.py" line="218" />
        <source>Details</source>
        <translation>操作内容</translation>
    </message>
    <message>
        <location filename="../labels.py" line="219" />
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../labels.py" line="220" />
        <source>Document kind</source>
        <translation>材料类别</translation>
    </message>
    <message>
        <location filename="../labels.py" line="221" />
        <source>Attachment number</source>
        <translation>附件编号</translation>
    </message>
    <message>
        <location filename="../labels.py" line="222" />
        <source>File type</source>
        <translation>文件类型</translation>
    </message>
    <message>
        <location filename="../labels.py" line="223" />
        <source>File size</source>
        <translation>文件大小</translation>
    </message>
    <message>
        <location filename="../labels.py" line="224" />
        <source>Promised days</source>
        <translation>承诺时限</translation>
    </message>
    <message>
        <location filename="../labels.py" line="225" />
        <source>Due date</source>
        <translation>办结期限</translation>
    </message>
    <message>
        <location filename="../labels.py" line="226" />
        <source>Case number</source>
        <translation>办件编号</translation>
    </message>
    <message>
        <location filename="../labels.py" line="227" />
        <source>Item code</source>
        <translation>事项编码</translation>
    </message>
    <message>
        <location filename="../labels.py" line="228" />
        <source>Item name</source>
        <translation>事项名称</translation>
    </message>
    <message>
        <location filename="../labels.py" line="229" />
        <source>Handwritten fields</source>
        <translation>手填内容</translation>
    </message>
    <message>
        <location filename="../labels.py" line="230" />
        <source>Agent</source>
        <translation>代办员</translation>
    </message>
    <message>
        <location filename="../labels.py" line="231" />
        <source>Client</source>
        <translation>委托人</translation>
    </message>
    <message>
        <location filename="../labels.py" line="232" />
        <source>Case</source>
        <translation>办件</translation>
    </message>
    <message>
        <location filename="../labels.py" line="233" />
        <source>Copies</source>
        <translation>份数</translation>
    </message>
    <message>
        <location filename="../labels.py" line="234" />
        <source>Order</source>
        <translation>顺序</translation>
    </message>
    <message>
        <location filename="../labels.py" line="235" />
        <source>Promised date</source>
        <translation>承诺补交日期</translation>
    </message>
    <message>
        <location filename="../labels.py" line="236" />
        <source>Kind</source>
        <translation>类型</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <location filename="../sync_page.py" line="63" />
        <source>Township hub</source>
        <translation>镇级服务器</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="67" />
        <source>Sync &amp;now</source>
        <translation>立即同步(&amp;N)</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="68" />
        <source>&amp;Log in…</source>
        <translation>登录(&amp;L)…</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="69" />
        <source>Hub &amp;address…</source>
        <translation>服务器地址(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="71" />
        <source>&amp;Retry set-aside changes</source>
        <translation>重试暂缓的更改(&amp;R)</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="79" />
        <location filename="../sync_page.py" line="87" />
        <location filename="../sync_page.py" line="95" />
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="80" />
        <source>Change</source>
        <translation>更改</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="81" />
        <source>Attempts</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="82" />
        <source>Why it was set aside</source>
        <translation>暂缓原因</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="88" />
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="89" />
        <source>Value on this desk</source>
        <translation>本机的值</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="90" />
        <source>Value on the hub</source>
        <translation>服务器的值</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="95" />
        <source>Why this desk could not store it</source>
        <translation>本机无法保存的原因</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="95" />
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="105" />
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="106" />
        <source>Conflicts: the same field changed here and on the hub</source>
        <translation>冲突：同一字段在本机和服务器上都被修改</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="111" />
        <source>Changes set aside (they never block the others)</source>
        <translation>暂缓的更改（不影响其他更改上报）</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="115" />
        <source>Not stored</source>
        <translation>未能存入</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="116" />
        <source>Changes from the hub this desk could not store (the rest applied)</source>
        <translation>乡镇服务器下发、本机无法保存的更改（其余已正常保存）</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="169" />
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="172" />
        <source>Hub</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="172" />
        <source>not set — working offline</source>
        <translation>未设置 — 离线工作</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="173" />
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="174" />
        <source>Logged in</source>
        <translation>已登录</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="174" />
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="174" />
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="175" />
        <source>Last sync</source>
        <translation>上次同步</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="176" />
        <source>Last successful sync</source>
        <translation>上次成功同步</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="177" />
        <source>Changes waiting to be sent</source>
        <translation>待上报的更改</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="335" />
        <source>Syncing</source>
        <translation>正在同步</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="110" />
        <location filename="../sync_page.py" line="178" />
        <source>Set aside</source>
        <translation>被搁置的更改</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="179" />
        <source>Open conflicts</source>
        <translation>未解决的冲突</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="180" />
        <source>From the hub, not stored</source>
        <translation>下发而未能保存</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="181" />
        <source>Audit entries not yet on the hub</source>
        <translation>尚未上传到服务器的审计记录</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="186" />
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="188" />
        <source>NOT ENCRYPTED: the administrator allowed plain http for this hub; passwords and clients' data can be read on the network. Use https.</source>
        <translation>未加密：管理员允许了以明文 http 连接此服务器，密码和委托人信息可能在网络上被读取。请改用 https。</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="194" />
        <source>Audit trail</source>
        <translation>审计记录</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="196" />
        <source>Last problem</source>
        <translation>最近的问题</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="199" />
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="199" />
        <source>Not kept on this PC: asked once each session</source>
        <translation>本机无法保存密码：每次启动后需输入一次</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="202" />
        <source>Published by the county</source>
        <translation>县级发布</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="247" />
        <source>Keep this desk's</source>
        <translation>保留本机的值</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="248" />
        <source>Take the hub's</source>
        <translation>采用服务器的值</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="292" />
        <source>Log in to the township hub</source>
        <translation>登录镇级服务器</translation>
    </message>
    <message>
        <location filename="../sync_page.py" line="293" />
        <source>Password of %1</source>
        <translation>%1 的密码</translation>
    </message>
</context>
<context>
    <name>SyncRecord</name>
    <message>
        <location filename="../labels.py" line="191" />
        <source>Village</source>
        <translation>村</translation>
    </message>
    <message>
        <location filename="../labels.py" line="192" />
        <source>Desk user</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../labels.py" line="193" />
        <source>Household</source>
        <translation>户</translation>
    </message>
    <message>
        <location filename="../labels.py" line="194" />
        <source>Client</source>
        <translation>委托人</translation>
    </message>
    <message>
        <location filename="../labels.py" line="195" />
        <source>Client's document</source>
        <translation>委托人材料</translation>
    </message>
    <message>
        <location filename="../labels.py" line="196" />
        <source>Request</source>
        <translation>一件事</translation>
    </message>
    <message>
        <location filename="../labels.py" line="197" />
        <source>Case</source>
        <translation>办件</translation>
    </message>
    <message>
        <location filename="../labels.py" line="198" />
        <source>Case document</source>
        <translation>办件材料</translation>
    </message>
    <message>
        <location filename="../labels.py" line="199" />
        <source>Case event</source>
        <translation>办件记录</translation>
    </message>
</context>
<context>
    <name>SyncStatusBar</name>
    <message>
        <location filename="../sync_status.py" line="35" />
        <source>Sync needs the hub password</source>
        <translation>同步需要登录乡镇中心</translation>
    </message>
    <message>
        <location filename="../sync_status.py" line="36" />
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../sync_status.py" line="63" />
        <source>Offline · %1 waiting</source>
        <translation>离线工作 · 待上传 %1</translation>
    </message>
    <message>
        <location filename="../sync_status.py" line="67" />
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <location filename="../sync_status.py" line="69" />
        <source>%1 waiting · last sync %2 · %3 conflicts</source>
        <translation>待上传 %1 · 上次同步 %2 · 冲突 %3</translation>
    </message>
</context>
<context>
    <name>TodayPage</name>
    <message>
        <location filename="../today_page.py" line="44" />
        <source>To do</source>
        <translation>待办</translation>
    </message>
    <message>
        <location filename="../today_page.py" line="44" />
        <source>Client</source>
        <translation>委托人</translation>
    </message>
    <message>
        <location filename="../today_page.py" line="44" />
        <source>Service item</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../today_page.py" line="44" />
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../today_page.py" line="57" />
        <source>Can start now (its preceding item is approved)</source>
        <translation>可以开始办理（前置事项已批准）</translation>
    </message>
    <message>
        <location filename="../today_page.py" line="58" />
        <source>Overdue</source>
        <translation>已超期</translation>
    </message>
    <message>
        <location filename="../today_page.py" line="59" />
        <source>Due soon (not yet overdue)</source>
        <translation>即将到期（尚未逾期）</translation>
    </message>
    <message>
        <location filename="../today_page.py" line="60" />
        <source>Deferred documents due</source>
        <translation>容缺材料到期</translation>
    </message>
    <message>
        <location filename="../today_page.py" line="61" />
        <source>Returned for correction</source>
        <translation>退回补正</translation>
    </message>
    <message>
        <location filename="../today_page.py" line="62" />
        <source>Follow-up visits due</source>
        <translation>待回访</translation>
    </message>
    <message>
        <location filename="../today_page.py" line="93" />
        <source>%1 things to do today. Double-click a case to open it; each list shows its first %2, the Cases page has them all.</source>
        <translation>今天有 %1 项待办。双击办件即可打开；每类最多列出 %2 件，完整列表见“办件”页。</translation>
    </message>
</context>
<context>
    <name>VillagesPage</name>
    <message>
        <location filename="../first_run_offline.py" line="196" />
        <source>Type the township and at least one village.</source>
        <translation>请填写乡镇和至少一个村。</translation>
    </message>
    <message>
        <location filename="../first_run_offline.py" line="214" />
        <source>The villages of this desk</source>
        <translation>本机服务的村</translation>
    </message>
    <message>
        <location filename="../first_run_offline.py" line="217" />
        <source>Choose the county, then type the township and each village with its statistical area code (9 and 12 digits). One village per line: 620524100201 Shiqiao Village</source>
        <translation>先选择县（区），再填写乡镇和各村的统计用区划代码（乡镇 9 位、村 12 位）。每行一个村，例如：620524100201 石桥村</translation>
    </message>
    <message>
        <location filename="../first_run_offline.py" line="222" />
        <source>Province</source>
        <translation>省</translation>
    </message>
    <message>
        <location filename="../first_run_offline.py" line="223" />
        <source>City</source>
        <translation>市</translation>
    </message>
    <message>
        <location filename="../first_run_offline.py" line="224" />
        <source>&amp;County</source>
        <translation>县（区）(&amp;C)</translation>
    </message>
    <message>
        <location filename="../first_run_offline.py" line="225" />
        <source>&amp;Township code</source>
        <translation>乡镇代码(&amp;T)</translation>
    </message>
    <message>
        <location filename="../first_run_offline.py" line="226" />
        <source>Township &amp;name</source>
        <translation>乡镇名称(&amp;N)</translation>
    </message>
    <message>
        <location filename="../first_run_offline.py" line="227" />
        <source>&amp;Villages</source>
        <translation>村(&amp;V)</translation>
    </message>
    <message>
        <location filename="../first_run_offline.py" line="232" />
        <source>e.g. Luomen</source>
        <translation>例如：洛门镇</translation>
    </message>
</context>
</TS>