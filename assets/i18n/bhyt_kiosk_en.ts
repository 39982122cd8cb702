<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="vi">
  <context>
    <name>LogWindow</name>
    <message>
      <source>&amp;Hủy</source>
      <translation>&amp;Cancel</translation>
    </message>
    <message>
      <source>&amp;Mở</source>
      <translation>&amp;Open</translation>
    </message>
    <message>
      <source>để trống: giữ mật khẩu đã lưu</source>
      <translation>leave empty: keep the saved password</translation>
    </message>
    <message>
      <source>&amp;Mật khẩu:</source>
      <translation>&amp;Password:</translation>
    </message>
    <message>
      <source>Địa chỉ kho nhật ký của tỉnh:</source>
      <translation>The province&apos;s log store address:</translation>
    </message>
    <message>
      <source>Không mở được kho trung tâm {url}: máy chủ không trả lời, địa chỉ hoặc mật khẩu sai, hoặc đó không phải kho nhật ký. Kiểm tra địa chỉ và mạng rồi mở lại. ({error})</source>
      <translation>Cannot open the central store {url}: the server does not answer, the address or password is wrong, or it is not a lookup-log store. Check the address and the network, then open it again. ({error})</translation>
    </message>
    <message>
      <source>Đang mở {file}…</source>
      <translation>Opening {file}…</translation>
    </message>
    <message>
      <location filename="../../ui/log_charts.py" line="112" />
      <source>Ngày</source>
      <translation>Day</translation>
    </message>
    <message>
      <location filename="../../ui/log_charts.py" line="113" />
      <source>Tuần (bắt đầu từ thứ Hai)</source>
      <translation>Week (starting Monday)</translation>
    </message>
    <message>
      <location filename="../../ui/log_charts.py" line="114" />
      <source>Tháng</source>
      <translation>Month</translation>
    </message>
    <message>
      <location filename="../../ui/log_charts.py" line="120" />
      <source>theo ngày</source>
      <translation>by day</translation>
    </message>
    <message>
      <location filename="../../ui/log_charts.py" line="121" />
      <source>theo tuần</source>
      <translation>by week</translation>
    </message>
    <message>
      <location filename="../../ui/log_charts.py" line="122" />
      <source>theo tháng</source>
      <translation>by month</translation>
    </message>
    <message>
      <location filename="../../ui/log_charts.py" line="128" />
      <source>Tỷ lệ tra cứu thành công {per} (%)</source>
      <translation>Lookup success rate {per} (%)</translation>
    </message>
    <message>
      <location filename="../../ui/log_charts.py" line="130" />
      <location filename="../../ui/log_texts.py" line="146" />
      <source>Tỷ lệ thành công</source>
      <translation>Success rate</translation>
    </message>
    <message>
      <location filename="../../ui/log_charts.py" line="139" />
      <source>Tỷ lệ thành công (%)</source>
      <translation>Success rate (%)</translation>
    </message>
    <message>
      <location filename="../../ui/log_charts.py" line="152" />
      <source>Nguyên nhân không thành công {per}</source>
      <translation>Failure reasons {per}</translation>
    </message>
    <message>
      <location filename="../../ui/log_charts.py" line="167" />
      <source>Số lượt không thành công</source>
      <translation>Failed attempts</translation>
    </message>
    <message>
      <location filename="../../ui/log_charts.py" line="203" />
      <source>Thời gian đến khi có kết quả (trung vị {median})</source>
      <translation>Time to result (median {median})</translation>
    </message>
    <message>
      <location filename="../../ui/log_charts.py" line="208" />
      <source>Giây (cột cuối: từ {last} giây trở lên)</source>
      <translation>Seconds (last bar: {last} s or more)</translation>
    </message>
    <message>
      <location filename="../../ui/log_charts.py" line="211" />
      <location filename="../../ui/log_charts.py" line="230" />
      <location filename="../../ui/log_texts.py" line="191" />
      <location filename="../../ui/log_window.py" line="413" />
      <source>Số lượt</source>
      <translation>Count</translation>
    </message>
    <message>
      <location filename="../../ui/log_charts.py" line="220" />
      <source>Số khung hình để đọc được mã QR</source>
      <translation>Frames needed to read the QR code</translation>
    </message>
    <message>
      <location filename="../../ui/log_charts.py" line="221" />
      <source>Số khung hình camera</source>
      <translation>Camera frames</translation>
    </message>
    <message>
      <location filename="../../ui/log_charts.py" line="222" />
      <source>Số lượt ({n} lượt camera)</source>
      <translation>Count ({n} camera attempts)</translation>
    </message>
    <message>
      <location filename="../../ui/log_charts.py" line="227" />
      <source>Giờ trong ngày (giờ địa phương của kiosk)</source>
      <translation>Hour of day (kiosk local time)</translation>
    </message>
    <message>
      <location filename="../../ui/log_charts.py" line="229" />
      <source>Số lượt đưa thẻ theo giờ trong ngày</source>
      <translation>Attempts per hour of day</translation>
    </message>
    <message>
      <location filename="../../ui/log_report.py" line="62" />
      <location filename="../../ui/log_report.py" line="182" />
      <source>Báo cáo nhật ký tra cứu thẻ BHYT</source>
      <translation>BHYT card lookup log report</translation>
    </message>
    <message>
      <location filename="../../ui/log_report.py" line="70" />
      <source>Tệp nhật ký: {file} · Lập lúc {when}</source>
      <translation>Log file: {file} · Generated {when}</translation>
    </message>
    <message>
      <location filename="../../ui/log_report.py" line="129" />
      <source>Lượt tra cứu: lượt đã gửi yêu cầu đến cổng BHXH. Thành công: cổng trả lời rõ ràng (có thẻ, không có thẻ, thông tin không khớp…). Tỷ lệ thành công = thành công / lượt tra cứu; tỷ lệ có thẻ hợp lệ = số lượt có thẻ còn hiệu lực / số lượt thành công. Không có dữ liệu cá nhân trong báo cáo.</source>
      <translation>Lookups: attempts sent to the BHXH portal. Successful: the portal gave a clear answer (valid card, no card, details do not match…). Success rate = successful / lookups; valid-card rate = lookups with a valid card / successful lookups. The report contains no personal data.</translation>
    </message>
    <message>
      <location filename="../../ui/log_report.py" line="147" />
      <location filename="../../ui/log_window.py" line="733" />
      <source>Nguyên nhân không thành công ({n} lượt)</source>
      <translation>Failure reasons ({n} attempts)</translation>
    </message>
    <message>
      <location filename="../../ui/log_report.py" line="153" />
      <source>Không có</source>
      <translation>None</translation>
    </message>
    <message>
      <location filename="../../ui/log_report.py" line="169" />
      <source>Báo cáo chỉ lưu được dạng PDF hoặc PNG (tệp .pdf hoặc .png).</source>
      <translation>The report can only be saved as PDF or PNG (a .pdf or .png file).</translation>
    </message>
    <message>
      <location filename="../../ui/log_report.py" line="174" />
      <source>Không tạo được thư mục {dir}: {error}</source>
      <translation>Cannot create the folder {dir}: {error}</translation>
    </message>
    <message>
      <location filename="../../ui/log_report.py" line="185" />
      <location filename="../../ui/log_report.py" line="192" />
      <location filename="../../ui/log_report.py" line="202" />
      <source>Không ghi được tệp {file}</source>
      <translation>Cannot write the file {file}</translation>
    </message>
    <message>
      <location filename="../../ui/log_table.py" line="36" />
      <source>Thời điểm</source>
      <translation>Time</translation>
    </message>
    <message>
      <location filename="../../ui/log_table.py" line="37" />
      <location filename="../../ui/log_table.py" line="190" />
      <location filename="../../ui/log_window.py" line="407" />
      <source>Kiosk</source>
      <translation>Kiosk</translation>
    </message>
    <message>
      <location filename="../../ui/log_table.py" line="38" />
      <location filename="../../ui/log_table.py" line="191" />
      <location filename="../../ui/log_texts.py" line="190" />
      <location filename="../../ui/log_window.py" line="408" />
      <source>Cơ sở</source>
      <translation>Facility</translation>
    </message>
    <message>
      <location filename="../../ui/log_table.py" line="39" />
      <location filename="../../ui/log_table.py" line="192" />
      <source>Nguồn</source>
      <translation>Source</translation>
    </message>
    <message>
      <location filename="../../ui/log_table.py" line="40" />
      <location filename="../../ui/log_table.py" line="193" />
      <source>Kết quả</source>
      <translation>Outcome</translation>
    </message>
    <message>
      <location filename="../../ui/log_table.py" line="41" />
      <source>Mã KQ</source>
      <translation>Code</translation>
    </message>
    <message>
      <location filename="../../ui/log_table.py" line="42" />
      <location filename="../../ui/log_table.py" line="195" />
      <source>Lý do</source>
      <translation>Reason</translation>
    </message>
    <message>
      <location filename="../../ui/log_table.py" line="43" />
      <source>Khung hình</source>
      <translation>Frames</translation>
    </message>
    <message>
      <location filename="../../ui/log_table.py" line="44" />
      <source>Đọc mã</source>
      <translation>Read</translation>
    </message>
    <message>
      <location filename="../../ui/log_table.py" line="45" />
      <source>Tra cứu</source>
      <translation>Lookup</translation>
    </message>
    <message>
      <location filename="../../ui/log_table.py" line="46" />
      <source>Tổng thời gian</source>
      <translation>Total time</translation>
    </message>
    <message>
      <location filename="../../ui/log_table.py" line="175" />
      <source>Chọn một lượt trong bảng để xem các bước và thời gian.</source>
      <translation>Select an attempt in the table to see its steps and timings.</translation>
    </message>
    <message>
      <location filename="../../ui/log_table.py" line="189" />
      <source>Mã lượt</source>
      <translation>Attempt ID</translation>
    </message>
    <message>
      <location filename="../../ui/log_table.py" line="194" />
      <source>Mã kết quả BHXH</source>
      <translation>BHXH result code</translation>
    </message>
    <message>
      <location filename="../../ui/log_table.py" line="196" />
      <source>Số CCCD (che)</source>
      <translation>CCCD number (masked)</translation>
    </message>
    <message>
      <location filename="../../ui/log_table.py" line="197" />
      <source>Bộ giải mã</source>
      <translation>Decoder</translation>
    </message>
    <message>
      <location filename="../../ui/log_table.py" line="198" />
      <source>Bước giải mã</source>
      <translation>Decoding pass</translation>
    </message>
    <message>
      <location filename="../../ui/log_table.py" line="199" />
      <source>Số khung hình</source>
      <translation>Frames to read</translation>
    </message>
    <message>
      <location filename="../../ui/log_table.py" line="200" />
      <source>Số lần gửi yêu cầu</source>
      <translation>Requests sent</translation>
    </message>
    <message>
      <location filename="../../ui/log_table.py" line="201" />
      <source>Phiên bản ứng dụng</source>
      <translation>App version</translation>
    </message>
    <message>
      <location filename="../../ui/log_table.py" line="211" />
      <source>Thấy thẻ</source>
      <translation>Card seen</translation>
    </message>
    <message>
      <location filename="../../ui/log_table.py" line="212" />
      <source>Đọc được mã</source>
      <translation>Code read</translation>
    </message>
    <message>
      <location filename="../../ui/log_table.py" line="213" />
      <source>Kiểm tra dữ liệu thẻ</source>
      <translation>Card data checked</translation>
    </message>
    <message>
      <location filename="../../ui/log_table.py" line="214" />
      <source>Gửi yêu cầu tra cứu</source>
      <translation>Lookup request sent</translation>
    </message>
    <message>
      <location filename="../../ui/log_table.py" line="215" />
      <source>Nhận trả lời</source>
      <translation>Answer received</translation>
    </message>
    <message>
      <location filename="../../ui/log_table.py" line="217" />
      <source>Các bước (bước cuối: {stage})</source>
      <translation>Steps (last step: {stage})</translation>
    </message>
    <message>
      <location filename="../../ui/log_table.py" line="221" />
      <source>Bước</source>
      <translation>Step</translation>
    </message>
    <message>
      <location filename="../../ui/log_table.py" line="223" />
      <source>Lúc</source>
      <translation>At</translation>
    </message>
    <message>
      <location filename="../../ui/log_table.py" line="225" />
      <source>Thời gian</source>
      <translation>Duration</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="44" />
      <source>Đủ điều kiện</source>
      <translation>Eligible</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="45" />
      <source>Đủ điều kiện, cần kiểm tra giấy tờ</source>
      <translation>Eligible, documents to check</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="46" />
      <source>Đã cấp thẻ mới</source>
      <translation>New card issued</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="47" />
      <source>Thẻ hết hiệu lực</source>
      <translation>Card no longer valid</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="48" />
      <source>Không tìm thấy thẻ</source>
      <translation>No card found</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="49" />
      <source>Thông tin không khớp</source>
      <translation>Details do not match</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="50" />
      <source>Lỗi cấu hình kiosk</source>
      <translation>Kiosk setup error</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="51" />
      <source>Lỗi dịch vụ</source>
      <translation>Service error</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="52" />
      <source>Hết thời gian chờ</source>
      <translation>Timed out</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="53" />
      <source>Chữ ký bị từ chối</source>
      <translation>Signature rejected</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="54" />
      <source>Thẻ CCCD không hợp lệ</source>
      <translation>Invalid CCCD card</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="55" />
      <source>Không phải thẻ CCCD</source>
      <translation>Not a CCCD card</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="56" />
      <source>Không đọc được mã QR</source>
      <translation>QR code unreadable</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="57" />
      <source>Đã hủy</source>
      <translation>Cancelled</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="58" />
      <source>Không rõ</source>
      <translation>Unknown</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="61" />
      <source>Camera</source>
      <translation>Camera</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="62" />
      <source>Máy quét USB</source>
      <translation>USB scanner</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="63" />
      <source>Máy quét cổng COM</source>
      <translation>Serial (COM) scanner</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="64" />
      <source>Nhập tay</source>
      <translation>Manual entry</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="65" />
      <source>Dòng lệnh</source>
      <translation>Command line</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="98" />
      <source>vi_VN</source>
      <translation>en_US</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="124" />
      <source>{lookups} lượt tra cứu, {successful} thành công ({rate})</source>
      <translation>{lookups} lookups, {successful} successful ({rate})</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="142" />
      <source>Lượt đưa thẻ</source>
      <translation>Attempts</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="143" />
      <source>{n} lượt đã gửi tra cứu</source>
      <translation>{n} sent for lookup</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="144" />
      <source>Tra cứu thành công</source>
      <translation>Successful lookups</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="145" />
      <source>trên {n} lượt tra cứu</source>
      <translation>out of {n} lookups</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="147" />
      <source>thành công / lượt tra cứu</source>
      <translation>successful / lookups</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="148" />
      <source>Thành công ngay lần đầu</source>
      <translation>Successful on the first try</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="149" />
      <source>{n} trả lời muộn; {p} đang chờ; {a} bỏ dở; trễ trung vị {m}</source>
      <translation>{n} late answers; {p} pending; {a} abandoned; median delay {m}</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="152" />
      <source>Tỷ lệ có thẻ BHYT hợp lệ</source>
      <translation>Valid BHYT card rate</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="153" />
      <source>{n} / {m} lượt thành công</source>
      <translation>{n} of {m} successful lookups</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="155" />
      <source>Thời gian đến khi có kết quả</source>
      <translation>Time to result</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="156" />
      <source>trung vị; 95% dưới {p95}</source>
      <translation>median; 95% under {p95}</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="162" />
      <location filename="../../ui/log_window.py" line="81" />
      <source>Toàn bộ nhật ký</source>
      <translation>Whole log</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="164" />
      <source>Ngày {day}</source>
      <translation>On {day}</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="167" />
      <source>Từ {first} đến {last}</source>
      <translation>From {first} to {last}</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="174" />
      <source>kiosk: {v}</source>
      <translation>kiosk: {v}</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="176" />
      <source>cơ sở: {v}</source>
      <translation>facility: {v}</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="178" />
      <source>nguồn: {v}</source>
      <translation>source: {v}</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="181" />
      <source>kết quả: {v}</source>
      <translation>outcome: {v}</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="182" />
      <source>tất cả kiosk và cơ sở</source>
      <translation>all kiosks and facilities</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="78" />
      <source>Hôm nay</source>
      <translation>Today</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="79" />
      <source>7 ngày qua</source>
      <translation>Last 7 days</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="80" />
      <source>30 ngày qua</source>
      <translation>Last 30 days</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="82" />
      <source>Khoảng ngày tùy chọn</source>
      <translation>Custom date range</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="382" />
      <source>&amp;Tệp</source>
      <translation>&amp;File</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="383" />
      <source>&amp;Mở tệp nhật ký…</source>
      <translation>&amp;Open log file…</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="384" />
      <source>Mở nhật ký của &amp;máy này</source>
      <translation>Open &amp;this computer's log</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="385" />
      <source>Xuất các lượt đang lọc ra &amp;CSV…</source>
      <translation>Export filtered attempts to &amp;CSV…</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="386" />
      <source>Xuất các lượt đang lọc ra &amp;JSON…</source>
      <translation>Export filtered attempts to &amp;JSON…</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="387" />
      <source>Xuất &amp;báo cáo một trang (PDF/PNG)…</source>
      <translation>Export one-page &amp;report (PDF/PNG)…</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="388" />
      <source>Đó&amp;ng</source>
      <translation>&amp;Close</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="389" />
      <source>Thời gian:</source>
      <translation>Period:</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="392" />
      <source>Kiosk:</source>
      <translation>Kiosk:</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="393" />
      <source>Cơ sở:</source>
      <translation>Facility:</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="394" />
      <source>Nguồn:</source>
      <translation>Source:</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="395" />
      <source>Kết quả:</source>
      <translation>Outcome:</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="397" />
      <source>Tất cả</source>
      <translation>All</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="402" />
      <source>Tổng quan</source>
      <translation>Overview</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="403" />
      <source>Danh sách lượt tra cứu</source>
      <translation>Attempt list</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="413" />
      <source>Nguyên nhân</source>
      <translation>Reason</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="413" />
      <source>Tỷ lệ</source>
      <translation>Share</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="428" />
      <source>chưa mở tệp</source>
      <translation>no file open</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="429" />
      <source>Nhật ký tra cứu — {file}</source>
      <translation>Lookup log — {file}</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="445" />
      <source>Mở nhật ký tra cứu</source>
      <translation>Open a lookup log</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="447" />
      <source>Nhật ký tra cứu (*.db *.sqlite *.sqlite3);;Tất cả các tệp (*)</source>
      <translation>Lookup logs (*.db *.sqlite *.sqlite3);;All files (*)</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="497" />
      <source>Không có tệp nhật ký tra cứu tại {path}. Chọn Tệp &gt; Mở tệp nhật ký… để mở một tệp khác.</source>
      <translation>There is no lookup log at {path}. Choose File &gt; Open log file… to open another file.</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="500" />
      <source>Không mở được {file}: tệp này không phải nhật ký tra cứu hoặc đã bị hỏng. ({error})</source>
      <translation>Cannot open {file}: it is not a lookup log, or it is damaged. ({error})</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="507" />
      <source>Chưa mở nhật ký tra cứu</source>
      <translation>No lookup log open</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="585" />
      <location filename="../../ui/log_window.py" line="603" />
      <source>Đang tính…</source>
      <translation>Calculating…</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="586" />
      <source>Đang đọc nhật ký…</source>
      <translation>Reading the log…</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="650" />
      <source>Đang tải danh sách…</source>
      <translation>Loading the list…</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="685" />
      <source>Đã xuất {n} lượt ra {file}</source>
      <translation>Exported {n} attempts to {file}</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="691" />
      <source>Không xuất được tệp: {error}</source>
      <translation>Export failed: {error}</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="693" />
      <source>Không đọc được nhật ký: {error}</source>
      <translation>Cannot read the log: {error}</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="609" />
      <location filename="../../ui/log_window.py" line="719" />
      <source>không có lượt nào</source>
      <translation>no attempts</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="721" />
      <source>(nhật ký có dữ liệu từ {first} đến {last})</source>
      <translation>(the log has data from {first} to {last})</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="758" />
      <source>{n} lượt phù hợp với bộ lọc — bấm vào tiêu đề cột để sắp xếp</source>
      <translation>{n} attempts match the filters — click a column header to sort</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="792" />
      <source>Xuất các lượt tra cứu</source>
      <translation>Export attempts</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="804" />
      <source>Chưa mở nhật ký tra cứu.</source>
      <translation>No lookup log is open.</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="817" />
      <source>Đang xuất…</source>
      <translation>Exporting…</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="826" />
      <source>Xuất báo cáo</source>
      <translation>Export report</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="828" />
      <source>Báo cáo PDF (*.pdf);;Ảnh PNG (*.png)</source>
      <translation>PDF report (*.pdf);;PNG image (*.png)</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="838" />
      <source>Chưa có số liệu để lập báo cáo.</source>
      <translation>There are no figures to report yet.</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="846" />
      <source>Đã lưu báo cáo: {file}</source>
      <translation>Report saved: {file}</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="866" />
      <source>Nhật ký tra cứu</source>
      <translation>Lookup log</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="188" />
      <source>Cần chú ý</source>
      <translation>Attention</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="189" />
      <source>Kiosk / cơ sở</source>
      <translation>Kiosk / facility</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="192" />
      <source>Thành công</source>
      <translation>Success</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="193" />
      <source>Thay đổi</source>
      <translation>Change</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="194" />
      <source>Lỗi nhiều nhất</source>
      <translation>Top failure</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="195" />
      <source>Hoạt động lần cuối</source>
      <translation>Last seen</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="196" />
      <source>Độ trễ gửi</source>
      <translation>Shipping lag</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="197" />
      <source>Chờ gửi</source>
      <translation>Backlog</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="201" />
      <source>Im lặng</source>
      <translation>Silent</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="202" />
      <source>Gửi chậm</source>
      <translation>Shipping behind</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="203" />
      <source>Đang giảm</source>
      <translation>Falling</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="204" />
      <source>Thành công thấp</source>
      <translation>Low success</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="205" />
      <source>Bình thường</source>
      <translation>OK</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="404" />
      <source>Các kiosk và cơ sở</source>
      <translation>Kiosks and facilities</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="405" />
      <source>Mở &amp;kho trung tâm (PostgreSQL)…</source>
      <translation>Open the &amp;central store (PostgreSQL)…</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="406" />
      <source>Theo:</source>
      <translation>By:</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="455" />
      <source>Mở kho trung tâm</source>
      <translation>Open the central store</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="611" />
      <source>{period}; thay đổi so với {previous} trở đi. Nhấp đúp một dòng để xem chi tiết.</source>
      <translation>{period}; change against {previous} onwards. Double-click a row for its details.</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <location filename="../../ui/main_window.py" line="365" />
      <source>Sao chép &amp;FHIR</source>
      <translation>Copy &amp;FHIR</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="366" />
      <source>Gửi &amp;HIS</source>
      <translation>Send to &amp;HIS</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="770" />
      <source>Gửi HIS: {s}</source>
      <translation>Sent to the HIS: {s}</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="364" />
      <source>Lấy &amp;số thứ tự</source>
      <translation>Take a queue &amp;number</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="690" />
      <source>Không lấy được số thứ tự: mời đến quầy.</source>
      <translation>No queue number could be issued: please go to the desk.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="350" />
      <source>Tra cứu thẻ BHYT bằng thẻ CCCD</source>
      <translation>Health insurance (BHYT) check with your citizen ID card</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="351" />
      <source>Tra cứu thẻ BHYT bằng thẻ căn cước (CCCD)</source>
      <translation>Health insurance (BHYT) check with your citizen ID card (CCCD)</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="353" />
      <source>Đổi ngôn ngữ</source>
      <translation>Change language</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="354" />
      <source>Nhân viên</source>
      <translation>Staff</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="355" />
      <source>Menu nhân viên (cần mã PIN)</source>
      <translation>Staff menu (PIN required)</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="356" />
      <source>Đưa mã QR trên thẻ CCCD vào trong khung</source>
      <translation>Hold the QR code of your ID card inside the frame</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="357" />
      <source>Đang tra cứu thông tin thẻ BHYT…</source>
      <translation>Checking your health insurance card…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="358" />
      <source>&amp;Hủy tra cứu</source>
      <translation>&amp;Cancel check</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="359" />
      <source>Hủy tra cứu</source>
      <translation>Cancel check</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="360" />
      <location filename="../../ui/main_window.py" line="367" />
      <source>&amp;Xong</source>
      <translation>&amp;Done</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="361" />
      <source>Xong, trở về màn hình chờ</source>
      <translation>Done, back to the start screen</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="362" />
      <source>Sao chép &amp;văn bản</source>
      <translation>Copy as &amp;text</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="363" />
      <source>Sao chép &amp;JSON</source>
      <translation>Copy as &amp;JSON</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="369" />
      <source>Đang tra cứu</source>
      <translation>Checking</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="375" />
      <source>Sẵn sàng. Đưa thẻ CCCD vào camera, quét bằng máy quét, hoặc nhập tay.</source>
      <translation>Ready. Show a CCCD card to the camera, scan it with the barcode scanner, or type it in.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="377" />
      <location filename="../../ui/main_window.py" line="378" />
      <source>Tra cứu gần đây</source>
      <translation>Recent lookups</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="381" />
      <source>&amp;Nhân viên</source>
      <translation>&amp;Staff</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="382" />
      <source>&amp;Cài đặt…</source>
      <translation>&amp;Settings…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="383" />
      <source>&amp;Nhật ký tra cứu…</source>
      <translation>&amp;Lookup log…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="384" />
      <source>&amp;Ngôn ngữ: English / Tiếng Việt</source>
      <translation>L&amp;anguage: Tiếng Việt / English</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="385" />
      <source>&amp;Thoát</source>
      <translation>E&amp;xit</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="406" />
      <source>Chế độ trình diễn (demo): dịch vụ tra cứu mô phỏng, mã PIN {pin}</source>
      <translation>Demo mode: simulated lookup service, staff PIN {pin}</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="410" />
      <location filename="../../ui/main_window.py" line="481" />
      <location filename="../../ui/main_window.py" line="742" />
      <source>Lỗi: {error}</source>
      <translation>Error: {error}</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="606" />
      <location filename="../../ui/main_window.py" line="607" />
      <source>Đang khởi động camera…</source>
      <translation>Starting the camera…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="606" />
      <source>Vui lòng chờ trong giây lát.</source>
      <translation>Please wait a moment.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="610" />
      <source>Mất kết nối camera</source>
      <translation>Camera disconnected</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="611" />
      <source>Máy đang tự kết nối lại với camera.</source>
      <translation>The kiosk is reconnecting to the camera by itself.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="612" />
      <source>Vui lòng chờ, hoặc đến quầy tiếp đón để được hỗ trợ.</source>
      <translation>Please wait, or go to the reception desk for help.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="618" />
      <source>Máy tra cứu tạm ngừng hoạt động</source>
      <translation>This kiosk is out of service</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="619" />
      <source>Xin lỗi, máy tra cứu đang tạm ngừng để sửa chữa.</source>
      <translation>Sorry, this kiosk is out of service for repair.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="620" />
      <source>Mời ông/bà đến quầy tiếp đón. Nhân viên: bấm «Nhân viên» để xem lỗi.</source>
      <translation>Please go to the reception desk. Staff: press «Staff» to see the error.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="624" />
      <source>Máy tra cứu chưa khởi động được</source>
      <translation>The kiosk could not start</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="885" />
      <source>Không có thay đổi.</source>
      <translation>Nothing changed.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="890" />
      <source>Đã lưu vào {path}:</source>
      <translation>Saved to {path}:</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="894" />
      <source>Chế độ demo: cài đặt chỉ dùng cho lần chạy này, không được lưu.</source>
      <translation>Demo mode: the settings apply to this run only and are not saved.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="895" />
      <source>Không đổi được trong chế độ demo: {name}.</source>
      <translation>Cannot be changed in demo mode: {name}.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="898" />
      <source>Không có tệp cài đặt: cài đặt chỉ dùng cho lần chạy này.</source>
      <translation>No settings file: the settings apply to this run only.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="900" />
      <source>Địa chỉ dịch vụ, thời gian chờ và máy quét có hiệu lực sau khi khởi động lại.</source>
      <translation>The service address, timeout and scanner take effect after a restart.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="630" />
      <source>Máy tra cứu đang gặp sự cố</source>
      <translation>The kiosk has a problem</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="631" />
      <source>Không dùng được camera.</source>
      <translation>The camera cannot be used.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="632" />
      <source>Mời đến quầy tiếp đón. Nhân viên: kiểm tra camera trong phần Cài đặt.</source>
      <translation>Please go to the reception desk. Staff: check the camera in Settings.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="644" />
      <source>Màn hình sẽ trở về sau {n} giây</source>
      <translation>This screen closes in {n} seconds</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="704" />
      <source>Máy chưa sẵn sàng, vui lòng chờ.</source>
      <translation>The kiosk is not ready yet, please wait.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="781" />
      <source>Ngôn ngữ</source>
      <translation>Language</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="798" />
      <source>Nhập mã PIN nhân viên để mở menu nhân viên.</source>
      <translation>Enter the staff PIN to open the staff menu.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="855" />
      <source>Cài đặt</source>
      <translation>Settings</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="830" />
      <source>Nhập mã PIN nhân viên để thoát.</source>
      <translation>Enter the staff PIN to exit.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="844" />
      <source>Nhập mã PIN để mở cài đặt.</source>
      <translation>Enter the staff PIN to open the settings.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="892" />
      <source>Không lưu được cài đặt: {error}</source>
      <translation>The settings could not be saved: {error}</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="820" />
      <source>Nhật ký: đang kiểm tra việc gửi về máy chủ tỉnh…</source>
      <translation>Log: checking the shipping to the province's server…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="626" />
      <source>Sửa cài đặt (tệp kiosk.toml hoặc menu Nhân viên &gt; Cài đặt) rồi khởi động lại.</source>
      <translation>Fix the settings (the kiosk.toml file or Staff &gt; Settings), then restart.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="821" />
      <source>chưa lần nào</source>
      <translation>never</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="822" />
      <source>Nhật ký chờ gửi về máy chủ tỉnh: {n} lượt (gửi được lần cuối: {last})</source>
      <translation>Log waiting for the province's server: {n} attempts (last shipped: {last})</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="826" />
      <source> — lỗi: {error}</source>
      <translation> — problem: {error}</translation>
    </message>
  </context>
  <context>
    <name>ManualEntryForm</name>
    <message>
      <location filename="../../ui/manual_entry.py" line="51" />
      <source>Nhập tay</source>
      <translation>Manual entry</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="52" />
      <source>Số &amp;CCCD (12 số)</source>
      <translation>&amp;CCCD number (12 digits)</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="53" />
      <source>&amp;Họ và tên</source>
      <translation>Full &amp;name</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="54" />
      <source>&amp;Ngày sinh</source>
      <translation>Date of &amp;birth</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="55" />
      <source>dd/mm/yyyy hoặc yyyy</source>
      <translation>dd/mm/yyyy or yyyy</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="56" />
      <source>&amp;Tra cứu</source>
      <translation>&amp;Look up</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="57" />
      <source>Số CCCD</source>
      <translation>CCCD number</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="58" />
      <source>Họ và tên</source>
      <translation>Full name</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="59" />
      <source>Ngày sinh</source>
      <translation>Date of birth</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="60" />
      <source>Tra cứu thẻ BHYT</source>
      <translation>Look up the health insurance card</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="75" />
      <source>Ngày sinh không hợp lệ (ví dụ 15/08/1998, 08/1998 hoặc 1998).</source>
      <translation>The date of birth is not valid (for example 15/08/1998, 08/1998 or 1998).</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="77" />
      <source>Ngày sinh ở tương lai: kiểm tra lại năm sinh.</source>
      <translation>The date of birth is in the future: check the year.</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="84" />
      <source>Nhập số CCCD 12 chữ số.</source>
      <translation>Enter the 12-digit CCCD number.</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="86" />
      <source>Nhập họ và tên như trên thẻ CCCD.</source>
      <translation>Enter the full name as on the CCCD card.</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="88" />
      <source>Họ và tên không được chứa chữ số.</source>
      <translation>The full name must not contain digits.</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="90" />
      <source>Nhập ngày sinh.</source>
      <translation>Enter the date of birth.</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="95" />
      <source>Số CCCD có 12 chữ số (đã nhập {n}).</source>
      <translation>A CCCD number has 12 digits ({n} typed).</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="97" />
      <source>Ba số đầu của số CCCD không phải mã tỉnh.</source>
      <translation>The first three digits of the CCCD number are not a province code.</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="99" />
      <source>Số CCCD không khớp với năm sinh.</source>
      <translation>The CCCD number does not match the year of birth.</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="101" />
      <source>Số CCCD chỉ gồm chữ số.</source>
      <translation>A CCCD number has digits only.</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="102" />
      <source>Số CCCD không hợp lệ.</source>
      <translation>The CCCD number is not valid.</translation>
    </message>
  </context>
  <context>
    <name>OutcomeTexts</name>
    <message>
      <location filename="../../ui/outcome_texts.py" line="38" />
      <source>Mời ông/bà đến quầy tiếp đón để được hỗ trợ.</source>
      <translation>Please go to the reception desk for help.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="43" />
      <source>Thẻ BHYT còn hiệu lực</source>
      <translation>Health insurance card is valid</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="44" />
      <source>Thông tin thẻ BHYT chính xác.</source>
      <translation>Your health insurance card details are correct.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="45" />
      <source>Mời ông/bà đến quầy tiếp đón để đăng ký khám bệnh.</source>
      <translation>Please go to the reception desk to register for your visit.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="49" />
      <source>Thẻ BHYT còn hiệu lực — cần kiểm tra giấy tờ</source>
      <translation>Health insurance card is valid — ID papers must be checked</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="50" />
      <source>Thẻ BHYT do cơ quan BHXH chuyên ngành quản lý.</source>
      <translation>The card is managed by a specialised social insurance office.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="51" />
      <source>Mời ông/bà mang giấy tờ tùy thân đến quầy tiếp đón để kiểm tra.</source>
      <translation>Please bring your ID papers to the reception desk to be checked.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="55" />
      <source>Thẻ BHYT còn hiệu lực — đã cấp thẻ mới</source>
      <translation>Health insurance card is valid — a new card was issued</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="56" />
      <source>Ông/bà đã được cấp thẻ BHYT mới; thông tin thẻ mới được hiển thị.</source>
      <translation>You have been issued a new health insurance card; the new card is shown.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="57" />
      <source>Mời ông/bà đến quầy tiếp đón để đăng ký khám bệnh theo thẻ mới.</source>
      <translation>Please go to the reception desk to register with your new card.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="61" />
      <source>Thẻ BHYT không còn hiệu lực</source>
      <translation>Health insurance card is not valid</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="62" />
      <source>Thẻ BHYT không còn được sử dụng.</source>
      <translation>The health insurance card can no longer be used.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="63" />
      <source>Mời ông/bà đến quầy tiếp đón: có thể khám dịch vụ (tự chi trả).</source>
      <translation>Please go to the reception desk: you can still be seen as a paying patient.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="67" />
      <source>Không tìm thấy thẻ BHYT</source>
      <translation>No health insurance card found</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="68" />
      <source>Không có thông tin thẻ BHYT của ông/bà trên hệ thống.</source>
      <translation>The system has no health insurance card for you.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="73" />
      <source>Thông tin không khớp với dữ liệu BHYT</source>
      <translation>Details do not match the insurance records</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="74" />
      <source>Thông tin trên thẻ CCCD không khớp với dữ liệu thẻ BHYT.</source>
      <translation>The details on your ID card do not match the health insurance records.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="75" />
      <source>Mời ông/bà đến quầy tiếp đón để nhân viên kiểm tra thông tin.</source>
      <translation>Please go to the reception desk so that staff can check your details.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="79" />
      <source>Máy tra cứu chưa được cài đặt đúng</source>
      <translation>The kiosk is not set up correctly</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="80" />
      <source>Máy không tra cứu được do lỗi cài đặt.</source>
      <translation>The kiosk cannot check cards because of a set-up problem.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="81" />
      <source>Mời ông/bà đến quầy tiếp đón. Nhân viên: kiểm tra cài đặt của máy tra cứu.</source>
      <translation>Please go to the reception desk. Staff: check the kiosk settings.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="87" />
      <source>Hệ thống tra cứu đang gặp sự cố</source>
      <translation>The insurance check service has a problem</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="88" />
      <source>Hệ thống tra cứu BHYT báo lỗi và không trả lời được.</source>
      <translation>The insurance check service reported an error and could not answer.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="89" />
      <location filename="../../ui/outcome_texts.py" line="95" />
      <source>Vui lòng đưa thẻ lại sau ít phút hoặc đến quầy tiếp đón.</source>
      <translation>Please show your card again in a few minutes, or go to the reception desk.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="93" />
      <source>Hệ thống tra cứu không phản hồi</source>
      <translation>The insurance check service does not answer</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="94" />
      <source>Không nhận được trả lời trong thời gian cho phép.</source>
      <translation>No answer came back in time.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="99" />
      <source>Không xác thực được hệ thống tra cứu</source>
      <translation>The insurance check service could not be verified</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="100" />
      <source>Câu trả lời không có chữ ký hợp lệ nên không được sử dụng.</source>
      <translation>The answer had no valid signature, so it was not used.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="101" />
      <source>Mời ông/bà đến quầy tiếp đón. Nhân viên: kiểm tra khóa của dịch vụ tra cứu.</source>
      <translation>Please go to the reception desk. Staff: check the service's key.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="107" />
      <source>Thông tin trên thẻ không hợp lệ</source>
      <translation>The card details are not valid</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="108" />
      <source>Đọc được mã QR nhưng thông tin trên thẻ không hợp lệ.</source>
      <translation>The QR code was read, but the details on the card are not valid.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="109" />
      <source>Vui lòng đưa lại mã QR vào khung, hoặc đến quầy tiếp đón.</source>
      <translation>Please hold the QR code in the frame again, or go to the reception desk.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="113" />
      <source>Đây không phải mã QR của thẻ CCCD</source>
      <translation>This is not the QR code of a CCCD card</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="114" />
      <source>Mã QR vừa đọc không phải của thẻ căn cước công dân.</source>
      <translation>The QR code just read does not come from a citizen ID card.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="115" />
      <source>Vui lòng đưa mã QR ở mặt trước thẻ CCCD vào khung.</source>
      <translation>Please hold the QR code on the front of your CCCD card in the frame.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="119" />
      <source>Chưa đọc được mã QR</source>
      <translation>The QR code could not be read</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="120" />
      <source>Mã QR bị mờ, bị lóa hoặc quá nhỏ.</source>
      <translation>The QR code was blurred, had glare, or was too small.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="121" />
      <source>Giữ yên thẻ, đưa lại gần camera hơn và tránh đèn chiếu thẳng.</source>
      <translation>Hold the card still, closer to the camera, away from direct light.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="125" />
      <source>Đã hủy tra cứu</source>
      <translation>Check cancelled</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="126" />
      <source>Việc tra cứu đã được hủy.</source>
      <translation>The check was cancelled.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="127" />
      <source>Đưa mã QR trên thẻ CCCD vào khung để tra cứu lại.</source>
      <translation>Hold the QR code of your CCCD card in the frame to check again.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="133" />
      <source>Thẻ BHYT do BHXH Bộ Quốc phòng quản lý.</source>
      <translation>The card is managed by the Ministry of Defence social insurance.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="134" />
      <source>Thẻ BHYT do BHXH Bộ Công an quản lý.</source>
      <translation>The card is managed by the Ministry of Public Security social insurance.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="135" />
      <source>Thẻ cũ đã hết hạn; ông/bà đã được cấp thẻ mới.</source>
      <translation>The old card has expired; you have been issued a new card.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="136" />
      <source>Thẻ cũ vẫn còn hạn; ông/bà đã được cấp thẻ mới.</source>
      <translation>The old card is still valid; you have been issued a new card.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="137" />
      <source>Thẻ BHYT đã hết hạn sử dụng.</source>
      <translation>The health insurance card has expired.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="138" />
      <source>Thẻ BHYT đã bị thu hồi.</source>
      <translation>The health insurance card has been revoked.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="139" />
      <location filename="../../ui/outcome_texts.py" line="140" />
      <location filename="../../ui/outcome_texts.py" line="141" />
      <location filename="../../ui/outcome_texts.py" line="142" />
      <location filename="../../ui/outcome_texts.py" line="143" />
      <source>Thẻ BHYT đã bị báo giảm.</source>
      <translation>The health insurance card has been reported as stopped.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="144" />
      <source>Trẻ em chưa có thẻ BHYT.</source>
      <translation>The child does not have a health insurance card yet.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="145" />
      <source>Mã thẻ BHYT không đúng.</source>
      <translation>The health insurance card number is wrong.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="146" />
      <source>Mã tỉnh trên thẻ BHYT không đúng.</source>
      <translation>The province code on the health insurance card is wrong.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="147" />
      <source>Mã quyền lợi trên thẻ BHYT không đúng.</source>
      <translation>The benefit code on the health insurance card is wrong.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="148" />
      <source>Họ tên không khớp với dữ liệu thẻ BHYT.</source>
      <translation>The name does not match the health insurance records.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="149" />
      <source>Họ tên không khớp với dữ liệu thẻ BHYT (chữ cái đầu đúng).</source>
      <translation>The name does not match the health insurance records (the first letter does).</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="150" />
      <source>Ngày sinh không khớp với dữ liệu thẻ BHYT.</source>
      <translation>The date of birth does not match the health insurance records.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="151" />
      <source>Số CCCD của nhân viên phụ trách chưa được đăng ký.</source>
      <translation>The responsible staff member's CCCD number is not registered.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="152" />
      <source>Họ tên nhân viên phụ trách không khớp với đăng ký.</source>
      <translation>The responsible staff member's name does not match the registration.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="153" />
      <source>Dữ liệu gửi đi sai định dạng.</source>
      <translation>The request was in the wrong format.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="154" />
      <source>Máy tra cứu không được xác thực.</source>
      <translation>The kiosk could not be authenticated.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="160" />
      <source>Mời ông/bà đến quầy tiếp đón: có thể khám dịch vụ, và liên hệ cơ quan BHXH để gia hạn thẻ.</source>
      <translation>Please go to the reception desk: you can still be seen as a paying patient; contact the social-security office to renew the card.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="164" />
      <source>Mời ông/bà đến quầy tiếp đón: có thể khám dịch vụ; hỏi cơ quan BHXH lý do thẻ bị thu hồi.</source>
      <translation>Please go to the reception desk: you can still be seen as a paying patient; ask the social-security office why the card was revoked.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="168" />
      <source>Mời ông/bà đến quầy tiếp đón: có thể khám dịch vụ; hỏi cơ quan BHXH nơi đang tham gia BHYT.</source>
      <translation>Please go to the reception desk: you can still be seen as a paying patient; ask the social-security office where you are insured.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="179" />
      <source>Đăng ký khám cho người bệnh theo thẻ BHYT này.</source>
      <translation>Register the patient with this health-insurance card.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="180" />
      <source>Kiểm tra giấy tờ tùy thân của người bệnh trước khi đăng ký khám.</source>
      <translation>Check the patient's identity papers before registering.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="182" />
      <source>Đăng ký khám theo thẻ BHYT mới (thông tin bên dưới).</source>
      <translation>Register with the new health-insurance card (details below).</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="183" />
      <source>Báo người bệnh thẻ không dùng được; có thể đăng ký khám dịch vụ (tự chi trả).</source>
      <translation>Tell the patient the card cannot be used; they can be registered as a paying patient.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="185" />
      <source>Hỏi người bệnh thẻ BHYT giấy hoặc ảnh thẻ trên VssID; kiểm tra lại số CCCD.</source>
      <translation>Ask the patient for the paper card or the card in VssID; check the ID number again.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="187" />
      <source>Đối chiếu họ tên và ngày sinh với giấy tờ của người bệnh, sửa rồi tra cứu lại.</source>
      <translation>Compare name and date of birth with the patient's papers, correct them and look up again.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="189" />
      <source>Kiểm tra cài đặt máy tra cứu (mã cơ sở, nhân viên phụ trách, khóa) hoặc báo bộ phận CNTT.</source>
      <translation>Check the kiosk's settings (facility code, responsible staff member, keys) or call IT.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="191" />
      <location filename="../../ui/outcome_texts.py" line="193" />
      <source>Tra cứu lại sau ít phút; nếu vẫn lỗi, báo bộ phận CNTT. Vẫn có thể cấp số thứ tự.</source>
      <translation>Look up again in a few minutes; if it still fails, call IT. A queue number can still be issued.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="195" />
      <source>Báo bộ phận CNTT: kiểm tra khóa công khai của dịch vụ tra cứu.</source>
      <translation>Call IT: check the lookup service's public key.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="197" />
      <source>Quét lại thẻ; nếu vẫn lỗi, nhập tay số CCCD, họ tên và ngày sinh.</source>
      <translation>Scan the card again; if it still fails, type the ID number, name and date of birth.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="199" />
      <source>Quét mã QR ở mặt trước thẻ CCCD của người bệnh.</source>
      <translation>Scan the QR code on the front of the patient's ID card.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="200" />
      <source>Bảo người bệnh giữ yên thẻ, đưa mã QR lại gần camera; hoặc dùng máy quét.</source>
      <translation>Ask the patient to hold the card still and closer to the camera, or use the scanner.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="202" />
      <source>Quét lại thẻ hoặc nhập tay để tra cứu lại.</source>
      <translation>Scan the card again or type the details to look up again.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="205" />
      <source>Người bệnh đã được cấp thẻ BHYT mới; thông tin thẻ mới ở dưới.</source>
      <translation>The patient has been issued a new health-insurance card; its details are below.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="207" />
      <source>Không có thông tin thẻ BHYT của người bệnh trên hệ thống.</source>
      <translation>The system has no health-insurance card for the patient.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="209" />
      <source>Thẻ cũ đã hết hạn; người bệnh đã được cấp thẻ mới.</source>
      <translation>The old card has expired; the patient has been issued a new one.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="210" />
      <source>Thẻ cũ vẫn còn hạn; người bệnh đã được cấp thẻ mới.</source>
      <translation>The old card is still valid; the patient has been issued a new one.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="216" />
      <source>Thông tin nhập tay không hợp lệ</source>
      <translation>The typed details are not valid</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="217" />
      <source>Số CCCD, họ tên hoặc ngày sinh vừa nhập không hợp lệ.</source>
      <translation>The ID number, name or date of birth just typed is not valid.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="218" />
      <source>Sửa thông tin trong ô nhập tay rồi tra cứu lại.</source>
      <translation>Correct the details in the manual-entry form and look up again.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="225" />
      <source>Máy quét làm mất chữ tiếng Việt</source>
      <translation>The scanner loses Vietnamese letters</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="226" />
      <source>Máy quét đọc được số CCCD và ngày sinh nhưng không gõ được chữ có dấu (máy quét đang giả lập bàn phím Mỹ).</source>
      <translation>The scanner read the ID number and date of birth but cannot type accented letters (it emulates a US keyboard).</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="230" />
      <source>Cài máy quét ở chế độ cổng COM (USB CDC/serial) rồi chọn cổng đó trong Cài đặt &gt; Máy quét cổng COM; trong lúc chờ, nhập tay.</source>
      <translation>Set the scanner to COM-port mode (USB CDC/serial) and choose that port in Settings &gt; Serial (COM) scanner; meanwhile, type the details.</translation>
    </message>
  </context>
  <context>
    <name>PendingList</name>
    <message>
      <location filename="../../ui/pending_list.py" line="141" />
      <source>Đang chờ kết quả BHYT</source>
      <translation>Waiting for the BHYT answer</translation>
    </message>
    <message>
      <location filename="../../ui/pending_list.py" line="143" />
      <source>Không có kết quả: kiểm tra tại quầy</source>
      <translation>No answer: check at the desk</translation>
    </message>
    <message>
      <location filename="../../ui/pending_list.py" line="147" />
      <source>HIS đã nhận</source>
      <translation>HIS accepted</translation>
    </message>
    <message>
      <location filename="../../ui/pending_list.py" line="147" />
      <source>HIS chưa nhận</source>
      <translation>HIS did not accept</translation>
    </message>
    <message>
      <location filename="../../ui/pending_list.py" line="149" />
      <source>đang gửi HIS…</source>
      <translation>sending to the HIS…</translation>
    </message>
    <message>
      <location filename="../../ui/pending_list.py" line="184" />
      <source>Chờ kết quả BHYT: {n}</source>
      <translation>Waiting for BHYT answers: {n}</translation>
    </message>
    <message>
      <location filename="../../ui/pending_list.py" line="196" />
      <source>Số</source>
      <translation>No.</translation>
    </message>
    <message>
      <location filename="../../ui/pending_list.py" line="196" />
      <source>CCCD</source>
      <translation>ID</translation>
    </message>
    <message>
      <location filename="../../ui/pending_list.py" line="196" />
      <source>Trạng thái</source>
      <translation>Status</translation>
    </message>
    <message>
      <location filename="../../ui/pending_list.py" line="196" />
      <source>Thời gian</source>
      <translation>Time</translation>
    </message>
    <message>
      <location filename="../../ui/pending_list.py" line="197" />
      <source>Sao chép FHIR</source>
      <translation>Copy FHIR</translation>
    </message>
    <message>
      <location filename="../../ui/pending_list.py" line="198" />
      <source>Lưu tệp FHIR…</source>
      <translation>Save FHIR file…</translation>
    </message>
    <message>
      <location filename="../../ui/pending_list.py" line="199" />
      <source>Gửi HIS</source>
      <translation>Send to HIS</translation>
    </message>
    <message>
      <location filename="../../ui/pending_list.py" line="223" />
      <source>Gửi HIS: {s}</source>
      <translation>Sent to the HIS: {s}</translation>
    </message>
    <message>
      <location filename="../../ui/pending_list.py" line="245" />
      <source>Lưu tệp FHIR</source>
      <translation>Save FHIR file</translation>
    </message>
    <message>
      <location filename="../../ui/pending_list.py" line="259" />
      <source>Không lưu được tệp FHIR: {error}</source>
      <translation>The FHIR file was not saved: {error}</translation>
    </message>
  </context>
  <context>
    <name>PinDialog</name>
    <message>
      <location filename="../../ui/pin_dialog.py" line="27" />
      <source>Mã PIN nhân viên</source>
      <translation>Staff PIN</translation>
    </message>
    <message>
      <location filename="../../ui/pin_dialog.py" line="36" />
      <source>Mã PIN</source>
      <translation>PIN</translation>
    </message>
    <message>
      <location filename="../../ui/pin_dialog.py" line="49" />
      <source>Xóa một số</source>
      <translation>Delete one digit</translation>
    </message>
    <message>
      <location filename="../../ui/pin_dialog.py" line="53" />
      <source>Xóa hết</source>
      <translation>Clear</translation>
    </message>
    <message>
      <location filename="../../ui/pin_dialog.py" line="58" />
      <source>Hủy</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../ui/pin_dialog.py" line="60" />
      <source>Xác nhận</source>
      <translation>Confirm</translation>
    </message>
    <message>
      <location filename="../../ui/pin_dialog.py" line="67" />
      <source>Chưa đặt mã PIN nhân viên. Đặt mã PIN bằng lệnh: bhyt-kiosk config set-pin</source>
      <translation>No staff PIN is set. Set one with the command: bhyt-kiosk config set-pin</translation>
    </message>
    <message>
      <location filename="../../ui/pin_dialog.py" line="98" />
      <source>Có thể nhập lại mã PIN.</source>
      <translation>You can enter the PIN again.</translation>
    </message>
    <message>
      <location filename="../../ui/pin_dialog.py" line="104" />
      <location filename="../../ui/pin_dialog.py" line="121" />
      <source>Sai mã PIN quá nhiều lần. Thử lại sau {s} giây.</source>
      <translation>Too many wrong PINs. Try again in {s} seconds.</translation>
    </message>
    <message>
      <location filename="../../ui/pin_dialog.py" line="110" />
      <source>Mã PIN đã lưu bị hỏng. Hãy đặt lại mã PIN trong tệp cấu hình.</source>
      <translation>The stored PIN is damaged. Set the PIN again in the configuration file.</translation>
    </message>
    <message>
      <location filename="../../ui/pin_dialog.py" line="123" />
      <source>Sai mã PIN. Vui lòng thử lại.</source>
      <translation>Wrong PIN. Please try again.</translation>
    </message>
  </context>
  <context>
    <name>PreviewWidget</name>
    <message>
      <source>Đang khởi động camera…</source>
      <translation>Starting the camera…</translation>
    </message>
    <message>
      <source>Không nhận được hình ảnh từ camera</source>
      <translation>No picture from the camera</translation>
    </message>
    <message>
      <source>Đang chuyển camera…</source>
      <translation>Switching camera…</translation>
    </message>
    <message>
      <source>Đang chờ hình ảnh từ camera…</source>
      <translation>Waiting for the camera picture…</translation>
    </message>
    <message>
      <source>Mất kết nối camera — đang thử kết nối lại…</source>
      <translation>Camera disconnected — reconnecting…</translation>
    </message>
    <message>
      <source>Không có camera</source>
      <translation>No camera</translation>
    </message>
    <message>
      <location filename="../../ui/preview.py" line="39" />
      <source>Hình ảnh camera</source>
      <translation>Camera picture</translation>
    </message>
  </context>
  <context>
    <name>ReadHints</name>
    <message>
      <location filename="../../ui/outcome_texts.py" line="269" />
      <source>Đưa mã QR trên thẻ CCCD vào khung</source>
      <translation>Hold the QR code of your CCCD card in the frame</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="270" />
      <location filename="../../ui/outcome_texts.py" line="271" />
      <source>Đưa thẻ lại gần hơn</source>
      <translation>Bring the card closer</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="272" />
      <source>Đưa thẻ ra xa hơn một chút</source>
      <translation>Move the card a little further away</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="273" />
      <location filename="../../ui/outcome_texts.py" line="274" />
      <location filename="../../ui/outcome_texts.py" line="280" />
      <source>Giữ yên thẻ</source>
      <translation>Hold the card still</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="275" />
      <location filename="../../ui/outcome_texts.py" line="277" />
      <source>Bị lóa — nghiêng thẻ</source>
      <translation>Glare — tilt the card</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="276" />
      <source>Thiếu sáng — đưa thẻ ra chỗ sáng hơn</source>
      <translation>Too dark — move the card into more light</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="278" />
      <source>Đưa cả mã QR vào trong khung</source>
      <translation>Get the whole QR code inside the frame</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="279" />
      <source>Đã đọc được mã QR</source>
      <translation>QR code read</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="281" />
      <source>Giữ thẻ phẳng, hướng về phía camera</source>
      <translation>Hold the card flat, facing the camera</translation>
    </message>
  </context>
  <context>
    <name>ResultView</name>
    <message>
      <location filename="../../ui/result_view.py" line="129" />
      <source>Họ và tên</source>
      <translation>Full name</translation>
    </message>
    <message>
      <location filename="../../ui/result_view.py" line="130" />
      <source>Số CCCD</source>
      <translation>CCCD number</translation>
    </message>
    <message>
      <location filename="../../ui/result_view.py" line="131" />
      <source>Ngày sinh</source>
      <translation>Date of birth</translation>
    </message>
    <message>
      <location filename="../../ui/result_view.py" line="132" />
      <source>Mã thẻ BHYT</source>
      <translation>Insurance card number</translation>
    </message>
    <message>
      <location filename="../../ui/result_view.py" line="133" />
      <source>Mức hưởng</source>
      <translation>Benefit level</translation>
    </message>
    <message>
      <location filename="../../ui/result_view.py" line="134" />
      <source>Giá trị sử dụng</source>
      <translation>Valid</translation>
    </message>
    <message>
      <location filename="../../ui/result_view.py" line="135" />
      <source>Nơi đăng ký KCB ban đầu</source>
      <translation>Registered primary-care facility</translation>
    </message>
    <message>
      <location filename="../../ui/result_view.py" line="136" />
      <source>Đủ 5 năm liên tục từ</source>
      <translation>5 continuous years from</translation>
    </message>
    <message>
      <location filename="../../ui/result_view.py" line="137" />
      <source>Mã khu vực</source>
      <translation>Area code</translation>
    </message>
    <message>
      <location filename="../../ui/result_view.py" line="142" />
      <source>Kết quả tra cứu</source>
      <translation>Check result</translation>
    </message>
    <message>
      <location filename="../../ui/result_view.py" line="210" />
      <source>Mức {level} — {percent}%</source>
      <translation>Level {level} — {percent}%</translation>
    </message>
    <message>
      <location filename="../../ui/result_view.py" line="213" />
      <source>từ {start} đến {end}</source>
      <translation>from {start} to {end}</translation>
    </message>
    <message>
      <location filename="../../ui/result_view.py" line="217" />
      <source>đúng cơ sở này</source>
      <translation>this facility</translation>
    </message>
    <message>
      <location filename="../../ui/result_view.py" line="217" />
      <source>cơ sở khác</source>
      <translation>another facility</translation>
    </message>
    <message>
      <location filename="../../ui/result_view.py" line="224" />
      <source>không còn giá trị</source>
      <translation>no longer valid</translation>
    </message>
  </context>
  <context>
    <name>SettingsDialog</name>
    <message>
      <location filename="../../ui/settings_dialog.py" line="45" />
      <source>Cài đặt</source>
      <translation>Settings</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="53" />
      <source>Tự động (camera đầu tiên, hoặc camera mô phỏng)</source>
      <translation>Automatic (first camera, or the simulated camera)</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="59" />
      <source>&amp;Camera</source>
      <translation>&amp;Camera</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="68" />
      <source>Độ &amp;phân giải</source>
      <translation>&amp;Resolution</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="71" />
      <source>Thời gian hiện &amp;kết quả</source>
      <translation>Result &amp;display time</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="74" />
      <source>Thời gian chờ &amp;tra cứu</source>
      <translation>Lookup &amp;timeout</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="80" />
      <source>&amp;Ngôn ngữ</source>
      <translation>&amp;Language</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="83" />
      <source>Địa chỉ &amp;dịch vụ tra cứu</source>
      <translation>Lookup &amp;service address</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="85" />
      <source>Phát âm thanh khi đọc thẻ và khi có kết quả</source>
      <translation>Play a sound when a card is read and when the result is shown</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="88" />
      <location filename="../../ui/settings_dialog.py" line="174" />
      <source>Độ tương phản cao</source>
      <translation>High contrast</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="95" />
      <source>Cỡ &amp;chữ</source>
      <translation>&amp;Font size</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="98" />
      <source>để trống: không có; ví dụ serial:COM3 hoặc serial:/dev/ttyACM0,9600</source>
      <translation>empty: none; e.g. serial:COM3 or serial:/dev/ttyACM0,9600</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="99" />
      <source>&amp;Máy quét cổng COM</source>
      <translation>Serial (COM) &amp;scanner</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="104" />
      <source>để trống: giữ mã PIN cũ</source>
      <translation>leave empty to keep the current PIN</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="105" />
      <source>Mã PIN nhân viên &amp;mới</source>
      <translation>New staff &amp;PIN</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="111" />
      <source>&amp;Lưu</source>
      <translation>&amp;Save</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="112" />
      <source>&amp;Hủy</source>
      <translation>&amp;Cancel</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="158" />
      <source>Mã PIN gồm 4 đến 8 chữ số.</source>
      <translation>A PIN has 4 to 8 digits.</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="161" />
      <source>Cài đặt không hợp lệ: {problem}</source>
      <translation>Invalid settings: {problem}</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="171" />
      <source>Camera</source>
      <translation>Camera</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="171" />
      <source>Độ phân giải</source>
      <translation>Resolution</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="172" />
      <source>Thời gian hiện kết quả</source>
      <translation>Result display time</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="172" />
      <source>Thời gian chờ tra cứu</source>
      <translation>Lookup timeout</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="173" />
      <source>Ngôn ngữ</source>
      <translation>Language</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="173" />
      <source>Địa chỉ dịch vụ tra cứu</source>
      <translation>Lookup service address</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="174" />
      <source>Âm thanh</source>
      <translation>Sounds</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="175" />
      <source>Cỡ chữ</source>
      <translation>Text size</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="175" />
      <source>Mã PIN nhân viên</source>
      <translation>Staff PIN</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="176" />
      <source>Máy quét cổng COM</source>
      <translation>Serial (COM) scanner</translation>
    </message>
  </context>
  <context>
    <name>StaffMenu</name>
    <message>
      <location filename="../../ui/staff_menu.py" line="56" />
      <source>Menu nhân viên</source>
      <translation>Staff menu</translation>
    </message>
    <message>
      <location filename="../../ui/staff_menu.py" line="57" />
      <source>Chọn việc cần làm:</source>
      <translation>Choose what to do:</translation>
    </message>
    <message>
      <location filename="../../ui/staff_menu.py" line="59" />
      <source>Cài đặt</source>
      <translation>Settings</translation>
    </message>
    <message>
      <location filename="../../ui/staff_menu.py" line="60" />
      <source>Nhật ký tra cứu</source>
      <translation>Lookup log</translation>
    </message>
    <message>
      <location filename="../../ui/staff_menu.py" line="61" />
      <source>Đổi ngôn ngữ (English / Tiếng Việt)</source>
      <translation>Change language (English / Tiếng Việt)</translation>
    </message>
    <message>
      <location filename="../../ui/staff_menu.py" line="62" />
      <source>Thoát ứng dụng</source>
      <translation>Exit the app</translation>
    </message>
    <message>
      <location filename="../../ui/staff_menu.py" line="63" />
      <source>Đóng</source>
      <translation>Close</translation>
    </message>
  </context>
  <context>
    <name>TicketView</name>
    <message>
      <location filename="../../ui/ticket_view.py" line="62" />
      <source>Số thứ tự của bạn</source>
      <translation>Your queue number</translation>
    </message>
    <message>
      <location filename="../../ui/ticket_view.py" line="74" />
      <source>BHYT: đã kiểm tra</source>
      <translation>BHYT: checked</translation>
    </message>
    <message>
      <location filename="../../ui/ticket_view.py" line="75" />
      <source>BHYT: chờ kiểm tra</source>
      <translation>BHYT: to be checked</translation>
    </message>
    <message>
      <location filename="../../ui/ticket_view.py" line="70" />
      <source>Quầy {n}</source>
      <translation>Counter {n}</translation>
    </message>
    <message>
      <location filename="../../ui/ticket_view.py" line="73" />
      <source>Đang chờ kết quả BHYT. Mời bạn đến quầy: nhân viên sẽ nhận kết quả ngay khi có.</source>
      <translation>Waiting for the BHYT answer. Please go to the desk: the staff will get the answer as soon as it comes.</translation>
    </message>
    <message>
      <location filename="../../ui/ticket_view.py" line="76" />
      <source>Mời bạn đến quầy khi được gọi số.</source>
      <translation>Please go to the desk when your number is called.</translation>
    </message>
    <message>
      <location filename="../../ui/ticket_view.py" line="79" />
      <source>Đã in phiếu. Mời bạn lấy phiếu.</source>
      <translation>Your ticket is printed. Please take it.</translation>
    </message>
    <message>
      <location filename="../../ui/ticket_view.py" line="81" />
      <source>Phiếu đã được lưu để in.</source>
      <translation>Your ticket was saved for printing.</translation>
    </message>
    <message>
      <location filename="../../ui/ticket_view.py" line="83" />
      <source>Không in được phiếu: xin ghi nhớ số thứ tự.</source>
      <translation>The ticket could not be printed: please remember your number.</translation>
    </message>
  </context>
</TS>
