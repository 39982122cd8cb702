<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="vi">
  <context>
    <name>LogWindow</name>
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
      <location filename="../../ui/log_texts.py" line="136" />
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
      <location filename="../../ui/log_window.py" line="367" />
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
      <location filename="../../ui/log_window.py" line="610" />
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
      <source>Kiosk</source>
      <translation>Kiosk</translation>
    </message>
    <message>
      <location filename="../../ui/log_table.py" line="38" />
      <location filename="../../ui/log_table.py" line="191" />
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
      <location filename="../../ui/log_texts.py" line="43" />
      <source>Đủ điều kiện</source>
      <translation>Eligible</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="44" />
      <source>Đủ điều kiện, cần kiểm tra giấy tờ</source>
      <translation>Eligible, documents to check</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="45" />
      <source>Đã cấp thẻ mới</source>
      <translation>New card issued</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="46" />
      <source>Thẻ hết hiệu lực</source>
      <translation>Card no longer valid</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="47" />
      <source>Không tìm thấy thẻ</source>
      <translation>No card found</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="48" />
      <source>Thông tin không khớp</source>
      <translation>Details do not match</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="49" />
      <source>Lỗi cấu hình kiosk</source>
      <translation>Kiosk setup error</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="50" />
      <source>Lỗi dịch vụ</source>
      <translation>Service error</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="51" />
      <source>Hết thời gian chờ</source>
      <translation>Timed out</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="52" />
      <source>Chữ ký bị từ chối</source>
      <translation>Signature rejected</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="53" />
      <source>Thẻ CCCD không hợp lệ</source>
      <translation>Invalid CCCD card</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="54" />
      <source>Không phải thẻ CCCD</source>
      <translation>Not a CCCD card</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="55" />
      <source>Không đọc được mã QR</source>
      <translation>QR code unreadable</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="56" />
      <source>Đã hủy</source>
      <translation>Cancelled</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="57" />
      <source>Không rõ</source>
      <translation>Unknown</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="60" />
      <source>Camera</source>
      <translation>Camera</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="61" />
      <source>Máy quét USB</source>
      <translation>USB scanner</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="62" />
      <source>Nhập tay</source>
      <translation>Manual entry</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="63" />
      <source>Dòng lệnh</source>
      <translation>Command line</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="90" />
      <source>vi_VN</source>
      <translation>en_US</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="116" />
      <source>{lookups} lượt tra cứu, {successful} thành công ({rate})</source>
      <translation>{lookups} lookups, {successful} successful ({rate})</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="132" />
      <source>Lượt đưa thẻ</source>
      <translation>Attempts</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="133" />
      <source>{n} lượt đã gửi tra cứu</source>
      <translation>{n} sent for lookup</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="134" />
      <source>Tra cứu thành công</source>
      <translation>Successful lookups</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="135" />
      <source>trên {n} lượt tra cứu</source>
      <translation>out of {n} lookups</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="137" />
      <source>thành công / lượt tra cứu</source>
      <translation>successful / lookups</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="146" />
      <source>Thành công ngay lần đầu</source>
      <translation>Successful on the first try</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="147" />
      <source>{n} trả lời muộn; {p} đang chờ; {a} bỏ dở; trễ trung vị {m}</source>
      <translation>{n} late answers; {p} pending; {a} abandoned; median delay {m}</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="138" />
      <source>Tỷ lệ có thẻ BHYT hợp lệ</source>
      <translation>Valid BHYT card rate</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="139" />
      <source>{n} / {m} lượt thành công</source>
      <translation>{n} of {m} successful lookups</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="141" />
      <source>Thời gian đến khi có kết quả</source>
      <translation>Time to result</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="142" />
      <source>trung vị; 95% dưới {p95}</source>
      <translation>median; 95% under {p95}</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="148" />
      <location filename="../../ui/log_window.py" line="74" />
      <source>Toàn bộ nhật ký</source>
      <translation>Whole log</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="150" />
      <source>Ngày {day}</source>
      <translation>On {day}</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="153" />
      <source>Từ {first} đến {last}</source>
      <translation>From {first} to {last}</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="160" />
      <source>kiosk: {v}</source>
      <translation>kiosk: {v}</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="162" />
      <source>cơ sở: {v}</source>
      <translation>facility: {v}</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="164" />
      <source>nguồn: {v}</source>
      <translation>source: {v}</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="167" />
      <source>kết quả: {v}</source>
      <translation>outcome: {v}</translation>
    </message>
    <message>
      <location filename="../../ui/log_texts.py" line="168" />
      <source>tất cả kiosk và cơ sở</source>
      <translation>all kiosks and facilities</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="71" />
      <source>Hôm nay</source>
      <translation>Today</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="72" />
      <source>7 ngày qua</source>
      <translation>Last 7 days</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="73" />
      <source>30 ngày qua</source>
      <translation>Last 30 days</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="75" />
      <source>Khoảng ngày tùy chọn</source>
      <translation>Custom date range</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="344" />
      <source>&amp;Tệp</source>
      <translation>&amp;File</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="345" />
      <source>&amp;Mở tệp nhật ký…</source>
      <translation>&amp;Open log file…</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="346" />
      <source>Mở nhật ký của &amp;máy này</source>
      <translation>Open &amp;this computer's log</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="347" />
      <source>Xuất các lượt đang lọc ra &amp;CSV…</source>
      <translation>Export filtered attempts to &amp;CSV…</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="348" />
      <source>Xuất các lượt đang lọc ra &amp;JSON…</source>
      <translation>Export filtered attempts to &amp;JSON…</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="349" />
      <source>Xuất &amp;báo cáo một trang (PDF/PNG)…</source>
      <translation>Export one-page &amp;report (PDF/PNG)…</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="350" />
      <source>Đó&amp;ng</source>
      <translation>&amp;Close</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="351" />
      <source>Thời gian:</source>
      <translation>Period:</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="354" />
      <source>Kiosk:</source>
      <translation>Kiosk:</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="355" />
      <source>Cơ sở:</source>
      <translation>Facility:</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="356" />
      <source>Nguồn:</source>
      <translation>Source:</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="357" />
      <source>Kết quả:</source>
      <translation>Outcome:</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="359" />
      <source>Tất cả</source>
      <translation>All</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="364" />
      <source>Tổng quan</source>
      <translation>Overview</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="365" />
      <source>Danh sách lượt tra cứu</source>
      <translation>Attempt list</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="367" />
      <source>Nguyên nhân</source>
      <translation>Reason</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="367" />
      <source>Tỷ lệ</source>
      <translation>Share</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="376" />
      <source>chưa mở tệp</source>
      <translation>no file open</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="377" />
      <source>Nhật ký tra cứu — {file}</source>
      <translation>Lookup log — {file}</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="393" />
      <source>Mở nhật ký tra cứu</source>
      <translation>Open a lookup log</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="395" />
      <source>Nhật ký tra cứu (*.db *.sqlite *.sqlite3);;Tất cả các tệp (*)</source>
      <translation>Lookup logs (*.db *.sqlite *.sqlite3);;All files (*)</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="432" />
      <source>Không có tệp nhật ký tra cứu tại {path}. Chọn Tệp &gt; Mở tệp nhật ký… để mở một tệp khác.</source>
      <translation>There is no lookup log at {path}. Choose File &gt; Open log file… to open another file.</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="435" />
      <source>Không mở được {file}: tệp này không phải nhật ký tra cứu hoặc đã bị hỏng. ({error})</source>
      <translation>Cannot open {file}: it is not a lookup log, or it is damaged. ({error})</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="442" />
      <source>Chưa mở nhật ký tra cứu</source>
      <translation>No lookup log open</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="520" />
      <source>Đang tính…</source>
      <translation>Calculating…</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="521" />
      <source>Đang đọc nhật ký…</source>
      <translation>Reading the log…</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="530" />
      <source>Đang tải danh sách…</source>
      <translation>Loading the list…</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="562" />
      <source>Đã xuất {n} lượt ra {file}</source>
      <translation>Exported {n} attempts to {file}</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="568" />
      <source>Không xuất được tệp: {error}</source>
      <translation>Export failed: {error}</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="570" />
      <source>Không đọc được nhật ký: {error}</source>
      <translation>Cannot read the log: {error}</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="596" />
      <source>không có lượt nào</source>
      <translation>no attempts</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="598" />
      <source>(nhật ký có dữ liệu từ {first} đến {last})</source>
      <translation>(the log has data from {first} to {last})</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="636" />
      <source>{n} lượt phù hợp với bộ lọc — bấm vào tiêu đề cột để sắp xếp</source>
      <translation>{n} attempts match the filters — click a column header to sort</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="670" />
      <source>Xuất các lượt tra cứu</source>
      <translation>Export attempts</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="682" />
      <source>Chưa mở nhật ký tra cứu.</source>
      <translation>No lookup log is open.</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="695" />
      <source>Đang xuất…</source>
      <translation>Exporting…</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="704" />
      <source>Xuất báo cáo</source>
      <translation>Export report</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="706" />
      <source>Báo cáo PDF (*.pdf);;Ảnh PNG (*.png)</source>
      <translation>PDF report (*.pdf);;PNG image (*.png)</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="716" />
      <source>Chưa có số liệu để lập báo cáo.</source>
      <translation>There are no figures to report yet.</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="724" />
      <source>Đã lưu báo cáo: {file}</source>
      <translation>Report saved: {file}</translation>
    </message>
    <message>
      <location filename="../../ui/log_window.py" line="744" />
      <source>Nhật ký tra cứu</source>
      <translation>Lookup log</translation>
    </message>
    <message>
      <source>Cần chú ý</source>
      <translation>Attention</translation>
    </message>
    <message>
      <source>Kiosk / cơ sở</source>
      <translation>Kiosk / facility</translation>
    </message>
    <message>
      <source>Thành công</source>
      <translation>Success</translation>
    </message>
    <message>
      <source>Thay đổi</source>
      <translation>Change</translation>
    </message>
    <message>
      <source>Lỗi nhiều nhất</source>
      <translation>Top failure</translation>
    </message>
    <message>
      <source>Hoạt động lần cuối</source>
      <translation>Last seen</translation>
    </message>
    <message>
      <source>Độ trễ gửi</source>
      <translation>Shipping lag</translation>
    </message>
    <message>
      <source>Chờ gửi</source>
      <translation>Backlog</translation>
    </message>
    <message>
      <source>Im lặng</source>
      <translation>Silent</translation>
    </message>
    <message>
      <source>Gửi chậm</source>
      <translation>Shipping behind</translation>
    </message>
    <message>
      <source>Đang giảm</source>
      <translation>Falling</translation>
    </message>
    <message>
      <source>Thành công thấp</source>
      <translation>Low success</translation>
    </message>
    <message>
      <source>Bình thường</source>
      <translation>OK</translation>
    </message>
    <message>
      <source>Các kiosk và cơ sở</source>
      <translation>Kiosks and facilities</translation>
    </message>
    <message>
      <source>Mở &amp;kho trung tâm (PostgreSQL)…</source>
      <translation>Open the &amp;central store (PostgreSQL)…</translation>
    </message>
    <message>
      <source>Theo:</source>
      <translation>By:</translation>
    </message>
    <message>
      <source>Mở kho trung tâm</source>
      <translation>Open the central store</translation>
    </message>
    <message>
      <source>Địa chỉ kho nhật ký của tỉnh (postgresql://người-dùng@máy:5432/tên-csdl):</source>
      <translation>The province's log store (postgresql://user@host:5432/dbname):</translation>
    </message>
    <message>
      <source>Không mở được kho trung tâm: {error}</source>
      <translation>Cannot open the central store: {error}</translation>
    </message>
    <message>
      <source>{period}; thay đổi so với {previous} trở đi. Nhấp đúp một dòng để xem chi tiết.</source>
      <translation>{period}; change against {previous} onwards. Double-click a row for its details.</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <location filename="../../ui/main_window.py" line="341" />
      <source>Sao chép &amp;FHIR</source>
      <translation>Copy &amp;FHIR</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="342" />
      <source>Gửi &amp;HIS</source>
      <translation>Send to &amp;HIS</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="681" />
      <source>Gửi HIS: {s}</source>
      <translation>Sent to the HIS: {s}</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="328" />
      <source>Lấy &amp;số thứ tự</source>
      <translation>Take a queue &amp;number</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="587" />
      <source>Không lấy được số thứ tự: mời đến quầy.</source>
      <translation>No queue number could be issued: please go to the desk.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="297" />
      <source>Tra cứu thẻ BHYT bằng thẻ CCCD</source>
      <translation>Health insurance (BHYT) check with your citizen ID card</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="298" />
      <source>Tra cứu thẻ BHYT bằng thẻ căn cước (CCCD)</source>
      <translation>Health insurance (BHYT) check with your citizen ID card (CCCD)</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="300" />
      <source>Đổi ngôn ngữ</source>
      <translation>Change language</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="301" />
      <source>Nhân viên</source>
      <translation>Staff</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="302" />
      <source>Menu nhân viên (cần mã PIN)</source>
      <translation>Staff menu (PIN required)</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="303" />
      <source>Đưa mã QR trên thẻ CCCD vào trong khung</source>
      <translation>Hold the QR code of your ID card inside the frame</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="304" />
      <source>Đang tra cứu thông tin thẻ BHYT…</source>
      <translation>Checking your health insurance card…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="305" />
      <source>&amp;Hủy tra cứu</source>
      <translation>&amp;Cancel check</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="306" />
      <source>Hủy tra cứu</source>
      <translation>Cancel check</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="307" />
      <source>&amp;Xong</source>
      <translation>&amp;Done</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="308" />
      <source>Xong, trở về màn hình chờ</source>
      <translation>Done, back to the start screen</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="309" />
      <source>Sao chép &amp;văn bản</source>
      <translation>Copy as &amp;text</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="310" />
      <source>Sao chép &amp;JSON</source>
      <translation>Copy as &amp;JSON</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="311" />
      <source>Đang tra cứu</source>
      <translation>Checking</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="315" />
      <source>Sẵn sàng. Đưa thẻ CCCD vào camera, quét bằng máy quét, hoặc nhập tay.</source>
      <translation>Ready. Show a CCCD card to the camera, scan it with the barcode scanner, or type it in.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="317" />
      <location filename="../../ui/main_window.py" line="318" />
      <source>Tra cứu gần đây</source>
      <translation>Recent lookups</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="319" />
      <source>&amp;Nhân viên</source>
      <translation>&amp;Staff</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="320" />
      <source>&amp;Cài đặt…</source>
      <translation>&amp;Settings…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="321" />
      <source>&amp;Nhật ký tra cứu…</source>
      <translation>&amp;Lookup log…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="322" />
      <source>&amp;Ngôn ngữ: English / Tiếng Việt</source>
      <translation>L&amp;anguage: Tiếng Việt / English</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="323" />
      <source>&amp;Thoát</source>
      <translation>E&amp;xit</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="337" />
      <source>Chế độ trình diễn (demo): dịch vụ tra cứu mô phỏng, mã PIN {pin}</source>
      <translation>Demo mode: simulated lookup service, staff PIN {pin}</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="340" />
      <source>Không có camera</source>
      <translation>No camera</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="341" />
      <location filename="../../ui/main_window.py" line="387" />
      <source>Lỗi: {error}</source>
      <translation>Error: {error}</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="390" />
      <source>Mất kết nối camera — đang thử kết nối lại…</source>
      <translation>Camera disconnected — reconnecting…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="460" />
      <location filename="../../ui/main_window.py" line="461" />
      <source>Đang khởi động camera…</source>
      <translation>Starting the camera…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="460" />
      <source>Vui lòng chờ trong giây lát.</source>
      <translation>Please wait a moment.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="464" />
      <source>Mất kết nối camera</source>
      <translation>Camera disconnected</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="465" />
      <source>Máy đang tự kết nối lại với camera.</source>
      <translation>The kiosk is reconnecting to the camera by itself.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="466" />
      <source>Vui lòng chờ, hoặc đến quầy tiếp đón để được hỗ trợ.</source>
      <translation>Please wait, or go to the reception desk for help.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="471" />
      <source>Máy tra cứu chưa khởi động được</source>
      <translation>The kiosk could not start</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="473" />
      <source>Mời đến quầy tiếp đón. Nhân viên: kiểm tra cài đặt (menu Nhân viên).</source>
      <translation>Please go to the reception desk. Staff: check the settings (Staff menu).</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="477" />
      <source>Máy tra cứu đang gặp sự cố</source>
      <translation>The kiosk has a problem</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="478" />
      <source>Không dùng được camera.</source>
      <translation>The camera cannot be used.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="479" />
      <source>Mời đến quầy tiếp đón. Nhân viên: kiểm tra camera trong phần Cài đặt.</source>
      <translation>Please go to the reception desk. Staff: check the camera in Settings.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="482" />
      <source>Đang chờ hình ảnh từ camera…</source>
      <translation>Waiting for the camera picture…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="491" />
      <source>Màn hình sẽ trở về sau {n} giây</source>
      <translation>This screen closes in {n} seconds</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="521" />
      <source>Máy chưa sẵn sàng, vui lòng chờ.</source>
      <translation>The kiosk is not ready yet, please wait.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="551" />
      <source>Ngôn ngữ</source>
      <translation>Language</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="562" />
      <source>Nhập mã PIN nhân viên để mở menu nhân viên.</source>
      <translation>Enter the staff PIN to open the staff menu.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="565" />
      <source>Menu nhân viên</source>
      <translation>Staff menu</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="566" />
      <source>Chọn việc cần làm:</source>
      <translation>Choose what to do:</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="567" />
      <source>Cài đặt</source>
      <translation>Settings</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="568" />
      <source>Nhật ký tra cứu</source>
      <translation>Lookup log</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="570" />
      <source>Thoát ứng dụng</source>
      <translation>Exit the app</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="571" />
      <source>Đóng</source>
      <translation>Close</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="583" />
      <source>Nhập mã PIN nhân viên để thoát.</source>
      <translation>Enter the staff PIN to exit.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="600" />
      <source>Nhập mã PIN để mở cài đặt.</source>
      <translation>Enter the staff PIN to open the settings.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="631" />
      <source>Đã lưu cài đặt vào {path}.</source>
      <translation>Settings saved to {path}.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="633" />
      <source>Không lưu được cài đặt: {error}</source>
      <translation>The settings could not be saved: {error}</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="635" />
      <source>Chế độ demo: cài đặt chỉ dùng cho lần chạy này.</source>
      <translation>Demo mode: the settings apply to this session only.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="638" />
      <source>Địa chỉ dịch vụ và thời gian chờ có hiệu lực sau khi khởi động lại.</source>
      <translation>The service address and timeouts take effect after a restart.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="644" />
      <source>Đang chuyển camera…</source>
      <translation>Switching camera…</translation>
    </message>
    <message>
      <source>Nhật ký: đang kiểm tra việc gửi về máy chủ tỉnh…</source>
      <translation>Log: checking the shipping to the province's server…</translation>
    </message>
    <message>
      <source>chưa lần nào</source>
      <translation>never</translation>
    </message>
    <message>
      <source>Nhật ký chờ gửi về máy chủ tỉnh: {n} lượt (gửi được lần cuối: {last})</source>
      <translation>Log waiting for the province's server: {n} attempts (last shipped: {last})</translation>
    </message>
    <message>
      <source> — lỗi: {error}</source>
      <translation> — problem: {error}</translation>
    </message>
  </context>
  <context>
    <name>ManualEntryForm</name>
    <message>
      <location filename="../../ui/manual_entry.py" line="49" />
      <source>Nhập tay</source>
      <translation>Manual entry</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="50" />
      <source>Số &amp;CCCD (12 số)</source>
      <translation>&amp;CCCD number (12 digits)</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="51" />
      <source>&amp;Họ và tên</source>
      <translation>Full &amp;name</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="52" />
      <source>&amp;Ngày sinh</source>
      <translation>Date of &amp;birth</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="53" />
      <source>dd/mm/yyyy hoặc yyyy</source>
      <translation>dd/mm/yyyy or yyyy</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="54" />
      <source>&amp;Tra cứu</source>
      <translation>&amp;Look up</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="55" />
      <source>Số CCCD</source>
      <translation>CCCD number</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="56" />
      <source>Họ và tên</source>
      <translation>Full name</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="57" />
      <source>Ngày sinh</source>
      <translation>Date of birth</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="58" />
      <source>Tra cứu thẻ BHYT</source>
      <translation>Look up the health insurance card</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="73" />
      <source>Ngày sinh không hợp lệ (ví dụ 15/08/1998, 08/1998 hoặc 1998).</source>
      <translation>The date of birth is not valid (for example 15/08/1998, 08/1998 or 1998).</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="80" />
      <source>Nhập số CCCD 12 chữ số.</source>
      <translation>Enter the 12-digit CCCD number.</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="82" />
      <source>Nhập họ và tên như trên thẻ CCCD.</source>
      <translation>Enter the full name as on the CCCD card.</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="84" />
      <source>Họ và tên không được chứa chữ số.</source>
      <translation>The full name must not contain digits.</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="86" />
      <source>Nhập ngày sinh.</source>
      <translation>Enter the date of birth.</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="91" />
      <source>Số CCCD có 12 chữ số (đã nhập {n}).</source>
      <translation>A CCCD number has 12 digits ({n} typed).</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="93" />
      <source>Ba số đầu của số CCCD không phải mã tỉnh.</source>
      <translation>The first three digits of the CCCD number are not a province code.</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="95" />
      <source>Số CCCD không khớp với năm sinh.</source>
      <translation>The CCCD number does not match the year of birth.</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="97" />
      <source>Số CCCD chỉ gồm chữ số.</source>
      <translation>A CCCD number has digits only.</translation>
    </message>
    <message>
      <location filename="../../ui/manual_entry.py" line="98" />
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
      <source>Mời ông/bà đến quầy tiếp đón: có thể khám dịch vụ hoặc liên hệ cơ quan BHXH để gia hạn thẻ.</source>
      <translation>Please go to the reception desk: you can be seen as a paying patient, or contact social insurance to renew the card.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="70" />
      <source>Không tìm thấy thẻ BHYT</source>
      <translation>No health insurance card found</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="71" />
      <source>Không có thông tin thẻ BHYT của ông/bà trên hệ thống.</source>
      <translation>The system has no health insurance card for you.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="76" />
      <source>Thông tin không khớp với dữ liệu BHYT</source>
      <translation>Details do not match the insurance records</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="77" />
      <source>Thông tin trên thẻ CCCD không khớp với dữ liệu thẻ BHYT.</source>
      <translation>The details on your ID card do not match the health insurance records.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="78" />
      <source>Mời ông/bà đến quầy tiếp đón để nhân viên kiểm tra thông tin.</source>
      <translation>Please go to the reception desk so that staff can check your details.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="82" />
      <source>Máy tra cứu chưa được cài đặt đúng</source>
      <translation>The kiosk is not set up correctly</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="83" />
      <source>Máy không tra cứu được do lỗi cài đặt.</source>
      <translation>The kiosk cannot check cards because of a set-up problem.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="84" />
      <source>Mời ông/bà đến quầy tiếp đón. Nhân viên: kiểm tra cài đặt của máy tra cứu.</source>
      <translation>Please go to the reception desk. Staff: check the kiosk settings.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="90" />
      <source>Hệ thống tra cứu đang gặp sự cố</source>
      <translation>The insurance check service has a problem</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="91" />
      <source>Hệ thống tra cứu BHYT báo lỗi và không trả lời được.</source>
      <translation>The insurance check service reported an error and could not answer.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="92" />
      <location filename="../../ui/outcome_texts.py" line="98" />
      <source>Vui lòng đưa thẻ lại sau ít phút hoặc đến quầy tiếp đón.</source>
      <translation>Please show your card again in a few minutes, or go to the reception desk.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="96" />
      <source>Hệ thống tra cứu không phản hồi</source>
      <translation>The insurance check service does not answer</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="97" />
      <source>Không nhận được trả lời trong thời gian cho phép.</source>
      <translation>No answer came back in time.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="102" />
      <source>Không xác thực được hệ thống tra cứu</source>
      <translation>The insurance check service could not be verified</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="103" />
      <source>Câu trả lời không có chữ ký hợp lệ nên không được sử dụng.</source>
      <translation>The answer had no valid signature, so it was not used.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="104" />
      <source>Mời ông/bà đến quầy tiếp đón. Nhân viên: kiểm tra khóa của dịch vụ tra cứu.</source>
      <translation>Please go to the reception desk. Staff: check the service's key.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="110" />
      <source>Thông tin trên thẻ không hợp lệ</source>
      <translation>The card details are not valid</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="111" />
      <source>Đọc được mã QR nhưng thông tin trên thẻ không hợp lệ.</source>
      <translation>The QR code was read, but the details on the card are not valid.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="112" />
      <source>Vui lòng đưa lại mã QR vào khung, hoặc đến quầy tiếp đón.</source>
      <translation>Please hold the QR code in the frame again, or go to the reception desk.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="116" />
      <source>Đây không phải mã QR của thẻ CCCD</source>
      <translation>This is not the QR code of a CCCD card</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="117" />
      <source>Mã QR vừa đọc không phải của thẻ căn cước công dân.</source>
      <translation>The QR code just read does not come from a citizen ID card.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="118" />
      <source>Vui lòng đưa mã QR ở mặt trước thẻ CCCD vào khung.</source>
      <translation>Please hold the QR code on the front of your CCCD card in the frame.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="122" />
      <source>Chưa đọc được mã QR</source>
      <translation>The QR code could not be read</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="123" />
      <source>Mã QR bị mờ, bị lóa hoặc quá nhỏ.</source>
      <translation>The QR code was blurred, had glare, or was too small.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="124" />
      <source>Giữ yên thẻ, đưa lại gần camera hơn và tránh đèn chiếu thẳng.</source>
      <translation>Hold the card still, closer to the camera, away from direct light.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="128" />
      <source>Đã hủy tra cứu</source>
      <translation>Check cancelled</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="129" />
      <source>Việc tra cứu đã được hủy.</source>
      <translation>The check was cancelled.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="130" />
      <source>Đưa mã QR trên thẻ CCCD vào khung để tra cứu lại.</source>
      <translation>Hold the QR code of your CCCD card in the frame to check again.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="136" />
      <source>Thẻ BHYT do BHXH Bộ Quốc phòng quản lý.</source>
      <translation>The card is managed by the Ministry of Defence social insurance.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="137" />
      <source>Thẻ BHYT do BHXH Bộ Công an quản lý.</source>
      <translation>The card is managed by the Ministry of Public Security social insurance.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="138" />
      <source>Thẻ cũ đã hết hạn; ông/bà đã được cấp thẻ mới.</source>
      <translation>The old card has expired; you have been issued a new card.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="139" />
      <source>Thẻ cũ vẫn còn hạn; ông/bà đã được cấp thẻ mới.</source>
      <translation>The old card is still valid; you have been issued a new card.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="140" />
      <source>Thẻ BHYT đã hết hạn sử dụng.</source>
      <translation>The health insurance card has expired.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="141" />
      <source>Thẻ BHYT đã bị thu hồi.</source>
      <translation>The health insurance card has been revoked.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="142" />
      <location filename="../../ui/outcome_texts.py" line="143" />
      <location filename="../../ui/outcome_texts.py" line="144" />
      <location filename="../../ui/outcome_texts.py" line="145" />
      <location filename="../../ui/outcome_texts.py" line="146" />
      <source>Thẻ BHYT đã bị báo giảm.</source>
      <translation>The health insurance card has been reported as stopped.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="147" />
      <source>Trẻ em chưa có thẻ BHYT.</source>
      <translation>The child does not have a health insurance card yet.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="148" />
      <source>Mã thẻ BHYT không đúng.</source>
      <translation>The health insurance card number is wrong.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="149" />
      <source>Mã tỉnh trên thẻ BHYT không đúng.</source>
      <translation>The province code on the health insurance card is wrong.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="150" />
      <source>Mã quyền lợi trên thẻ BHYT không đúng.</source>
      <translation>The benefit code on the health insurance card is wrong.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="151" />
      <source>Họ tên không khớp với dữ liệu thẻ BHYT.</source>
      <translation>The name does not match the health insurance records.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="152" />
      <source>Họ tên không khớp với dữ liệu thẻ BHYT (chữ cái đầu đúng).</source>
      <translation>The name does not match the health insurance records (the first letter does).</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="153" />
      <source>Ngày sinh không khớp với dữ liệu thẻ BHYT.</source>
      <translation>The date of birth does not match the health insurance records.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="154" />
      <source>Số CCCD của nhân viên phụ trách chưa được đăng ký.</source>
      <translation>The responsible staff member's CCCD number is not registered.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="155" />
      <source>Họ tên nhân viên phụ trách không khớp với đăng ký.</source>
      <translation>The responsible staff member's name does not match the registration.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="156" />
      <source>Dữ liệu gửi đi sai định dạng.</source>
      <translation>The request was in the wrong format.</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="157" />
      <source>Máy tra cứu không được xác thực.</source>
      <translation>The kiosk could not be authenticated.</translation>
    </message>
  </context>
  <context>
    <name>PendingList</name>
    <message>
      <location filename="../../ui/pending_list.py" line="124" />
      <source>Đang chờ kết quả BHYT</source>
      <translation>Waiting for the BHYT answer</translation>
    </message>
    <message>
      <location filename="../../ui/pending_list.py" line="126" />
      <source>Không có kết quả: kiểm tra tại quầy</source>
      <translation>No answer: check at the desk</translation>
    </message>
    <message>
      <location filename="../../ui/pending_list.py" line="130" />
      <source>HIS đã nhận</source>
      <translation>HIS accepted</translation>
    </message>
    <message>
      <location filename="../../ui/pending_list.py" line="130" />
      <source>HIS chưa nhận</source>
      <translation>HIS did not accept</translation>
    </message>
    <message>
      <location filename="../../ui/pending_list.py" line="132" />
      <source>đang gửi HIS…</source>
      <translation>sending to the HIS…</translation>
    </message>
    <message>
      <location filename="../../ui/pending_list.py" line="155" />
      <source>Chờ kết quả BHYT: {n}</source>
      <translation>Waiting for BHYT answers: {n}</translation>
    </message>
    <message>
      <location filename="../../ui/pending_list.py" line="160" />
      <source>Số</source>
      <translation>No.</translation>
    </message>
    <message>
      <location filename="../../ui/pending_list.py" line="160" />
      <source>CCCD</source>
      <translation>ID</translation>
    </message>
    <message>
      <location filename="../../ui/pending_list.py" line="160" />
      <source>Trạng thái</source>
      <translation>Status</translation>
    </message>
    <message>
      <location filename="../../ui/pending_list.py" line="160" />
      <source>Thời gian</source>
      <translation>Time</translation>
    </message>
    <message>
      <location filename="../../ui/pending_list.py" line="161" />
      <source>Sao chép FHIR</source>
      <translation>Copy FHIR</translation>
    </message>
    <message>
      <location filename="../../ui/pending_list.py" line="162" />
      <source>Lưu tệp FHIR…</source>
      <translation>Save FHIR file…</translation>
    </message>
    <message>
      <location filename="../../ui/pending_list.py" line="163" />
      <source>Gửi HIS</source>
      <translation>Send to HIS</translation>
    </message>
    <message>
      <location filename="../../ui/pending_list.py" line="187" />
      <source>Gửi HIS: {s}</source>
      <translation>Sent to the HIS: {s}</translation>
    </message>
    <message>
      <location filename="../../ui/pending_list.py" line="209" />
      <source>Lưu tệp FHIR</source>
      <translation>Save FHIR file</translation>
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
      <location filename="../../ui/pin_dialog.py" line="48" />
      <source>Xóa một số</source>
      <translation>Delete one digit</translation>
    </message>
    <message>
      <location filename="../../ui/pin_dialog.py" line="52" />
      <source>Xóa hết</source>
      <translation>Clear</translation>
    </message>
    <message>
      <location filename="../../ui/pin_dialog.py" line="57" />
      <source>Hủy</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../ui/pin_dialog.py" line="59" />
      <source>Xác nhận</source>
      <translation>Confirm</translation>
    </message>
    <message>
      <location filename="../../ui/pin_dialog.py" line="66" />
      <source>Chưa đặt mã PIN nhân viên. Đặt mã PIN bằng lệnh: bhyt-kiosk config set-pin</source>
      <translation>No staff PIN is set. Set one with the command: bhyt-kiosk config set-pin</translation>
    </message>
    <message>
      <location filename="../../ui/pin_dialog.py" line="87" />
      <location filename="../../ui/pin_dialog.py" line="102" />
      <source>Sai mã PIN quá nhiều lần. Thử lại sau {s} giây.</source>
      <translation>Too many wrong PINs. Try again in {s} seconds.</translation>
    </message>
    <message>
      <location filename="../../ui/pin_dialog.py" line="93" />
      <source>Mã PIN đã lưu bị hỏng. Hãy đặt lại mã PIN trong tệp cấu hình.</source>
      <translation>The stored PIN is damaged. Set the PIN again in the configuration file.</translation>
    </message>
    <message>
      <location filename="../../ui/pin_dialog.py" line="104" />
      <source>Sai mã PIN. Vui lòng thử lại.</source>
      <translation>Wrong PIN. Please try again.</translation>
    </message>
  </context>
  <context>
    <name>PreviewWidget</name>
    <message>
      <location filename="../../ui/preview.py" line="25" />
      <source>Hình ảnh camera</source>
      <translation>Camera picture</translation>
    </message>
  </context>
  <context>
    <name>ReadHints</name>
    <message>
      <location filename="../../ui/outcome_texts.py" line="179" />
      <source>Đưa mã QR trên thẻ CCCD vào khung</source>
      <translation>Hold the QR code of your CCCD card in the frame</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="180" />
      <location filename="../../ui/outcome_texts.py" line="181" />
      <source>Đưa thẻ lại gần hơn</source>
      <translation>Bring the card closer</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="182" />
      <source>Đưa thẻ ra xa hơn một chút</source>
      <translation>Move the card a little further away</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="183" />
      <location filename="../../ui/outcome_texts.py" line="184" />
      <location filename="../../ui/outcome_texts.py" line="190" />
      <source>Giữ yên thẻ</source>
      <translation>Hold the card still</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="185" />
      <location filename="../../ui/outcome_texts.py" line="187" />
      <source>Bị lóa — nghiêng thẻ</source>
      <translation>Glare — tilt the card</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="186" />
      <source>Thiếu sáng — đưa thẻ ra chỗ sáng hơn</source>
      <translation>Too dark — move the card into more light</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="188" />
      <source>Đưa cả mã QR vào trong khung</source>
      <translation>Get the whole QR code inside the frame</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="189" />
      <source>Đã đọc được mã QR</source>
      <translation>QR code read</translation>
    </message>
    <message>
      <location filename="../../ui/outcome_texts.py" line="191" />
      <source>Giữ thẻ phẳng, hướng về phía camera</source>
      <translation>Hold the card flat, facing the camera</translation>
    </message>
  </context>
  <context>
    <name>ResultView</name>
    <message>
      <location filename="../../ui/result_view.py" line="97" />
      <source>Họ và tên</source>
      <translation>Full name</translation>
    </message>
    <message>
      <location filename="../../ui/result_view.py" line="98" />
      <source>Số CCCD</source>
      <translation>CCCD number</translation>
    </message>
    <message>
      <location filename="../../ui/result_view.py" line="99" />
      <source>Ngày sinh</source>
      <translation>Date of birth</translation>
    </message>
    <message>
      <location filename="../../ui/result_view.py" line="100" />
      <source>Mã thẻ BHYT</source>
      <translation>Insurance card number</translation>
    </message>
    <message>
      <location filename="../../ui/result_view.py" line="101" />
      <source>Mức hưởng</source>
      <translation>Benefit level</translation>
    </message>
    <message>
      <location filename="../../ui/result_view.py" line="102" />
      <source>Giá trị sử dụng</source>
      <translation>Valid</translation>
    </message>
    <message>
      <location filename="../../ui/result_view.py" line="103" />
      <source>Nơi đăng ký KCB ban đầu</source>
      <translation>Registered primary-care facility</translation>
    </message>
    <message>
      <location filename="../../ui/result_view.py" line="104" />
      <source>Đủ 5 năm liên tục từ</source>
      <translation>5 continuous years from</translation>
    </message>
    <message>
      <location filename="../../ui/result_view.py" line="105" />
      <source>Mã khu vực</source>
      <translation>Area code</translation>
    </message>
    <message>
      <location filename="../../ui/result_view.py" line="110" />
      <source>Kết quả tra cứu</source>
      <translation>Check result</translation>
    </message>
    <message>
      <location filename="../../ui/result_view.py" line="174" />
      <source>Mức {level} — {percent}%</source>
      <translation>Level {level} — {percent}%</translation>
    </message>
    <message>
      <location filename="../../ui/result_view.py" line="177" />
      <source>từ {start} đến {end}</source>
      <translation>from {start} to {end}</translation>
    </message>
    <message>
      <location filename="../../ui/result_view.py" line="181" />
      <source>đúng cơ sở này</source>
      <translation>this facility</translation>
    </message>
    <message>
      <location filename="../../ui/result_view.py" line="181" />
      <source>cơ sở khác</source>
      <translation>another facility</translation>
    </message>
  </context>
  <context>
    <name>SettingsDialog</name>
    <message>
      <location filename="../../ui/settings_dialog.py" line="43" />
      <source>Cài đặt</source>
      <translation>Settings</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="51" />
      <source>Tự động (camera đầu tiên, hoặc camera mô phỏng)</source>
      <translation>Automatic (first camera, or the simulated camera)</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="57" />
      <source>&amp;Camera</source>
      <translation>&amp;Camera</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="66" />
      <source>Độ &amp;phân giải</source>
      <translation>&amp;Resolution</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="73" />
      <source>Thời gian hiện &amp;kết quả</source>
      <translation>Result &amp;display time</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="80" />
      <source>Thời gian chờ &amp;tra cứu</source>
      <translation>Lookup &amp;timeout</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="86" />
      <source>&amp;Ngôn ngữ</source>
      <translation>&amp;Language</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="89" />
      <source>Địa chỉ &amp;dịch vụ tra cứu</source>
      <translation>Lookup &amp;service address</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="91" />
      <source>Phát âm thanh khi đọc thẻ và khi có kết quả</source>
      <translation>Play a sound when a card is read and when the result is shown</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="94" />
      <source>Độ tương phản cao</source>
      <translation>High contrast</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="101" />
      <source>Cỡ &amp;chữ</source>
      <translation>&amp;Font size</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="106" />
      <source>để trống: giữ mã PIN cũ</source>
      <translation>leave empty to keep the current PIN</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="107" />
      <source>Mã PIN nhân viên &amp;mới</source>
      <translation>New staff &amp;PIN</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="113" />
      <source>&amp;Lưu</source>
      <translation>&amp;Save</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="114" />
      <source>&amp;Hủy</source>
      <translation>&amp;Cancel</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="150" />
      <source>Mã PIN gồm 4 đến 8 chữ số.</source>
      <translation>A PIN has 4 to 8 digits.</translation>
    </message>
    <message>
      <location filename="../../ui/settings_dialog.py" line="153" />
      <source>Cài đặt không hợp lệ: {problem}</source>
      <translation>Invalid settings: {problem}</translation>
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