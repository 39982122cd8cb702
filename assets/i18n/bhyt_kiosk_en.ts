<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="vi">
  <context>
    <name>MainWindow</name>
    <message>
      <location filename="../../ui/main_window.py" line="275" />
      <source>Tra cứu thẻ BHYT bằng thẻ CCCD</source>
      <translation>Health insurance (BHYT) check with your citizen ID card</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="276" />
      <source>Tra cứu thẻ BHYT bằng thẻ căn cước (CCCD)</source>
      <translation>Health insurance (BHYT) check with your citizen ID card (CCCD)</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="278" />
      <source>Đổi ngôn ngữ</source>
      <translation>Change language</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="279" />
      <source>Nhân viên</source>
      <translation>Staff</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="280" />
      <source>Menu nhân viên (cần mã PIN)</source>
      <translation>Staff menu (PIN required)</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="281" />
      <source>Đưa mã QR trên thẻ CCCD vào trong khung</source>
      <translation>Hold the QR code of your ID card inside the frame</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="282" />
      <source>Đang tra cứu thông tin thẻ BHYT…</source>
      <translation>Checking your health insurance card…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="283" />
      <source>&amp;Hủy tra cứu</source>
      <translation>&amp;Cancel check</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="284" />
      <source>Hủy tra cứu</source>
      <translation>Cancel check</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="285" />
      <source>&amp;Xong</source>
      <translation>&amp;Done</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="286" />
      <source>Xong, trở về màn hình chờ</source>
      <translation>Done, back to the start screen</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="287" />
      <source>Sao chép &amp;văn bản</source>
      <translation>Copy as &amp;text</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="288" />
      <source>Sao chép &amp;JSON</source>
      <translation>Copy as &amp;JSON</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="289" />
      <source>Đang tra cứu</source>
      <translation>Checking</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="293" />
      <source>Sẵn sàng. Đưa thẻ CCCD vào camera, quét bằng máy quét, hoặc nhập tay.</source>
      <translation>Ready. Show a CCCD card to the camera, scan it with the barcode scanner, or type it in.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="295" />
      <location filename="../../ui/main_window.py" line="296" />
      <source>Tra cứu gần đây</source>
      <translation>Recent lookups</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="297" />
      <source>&amp;Nhân viên</source>
      <translation>&amp;Staff</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="298" />
      <source>&amp;Cài đặt…</source>
      <translation>&amp;Settings…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="299" />
      <source>&amp;Nhật ký tra cứu…</source>
      <translation>&amp;Lookup log…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="300" />
      <source>&amp;Ngôn ngữ: English / Tiếng Việt</source>
      <translation>L&amp;anguage: Tiếng Việt / English</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="301" />
      <source>&amp;Thoát</source>
      <translation>E&amp;xit</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="315" />
      <source>Chế độ trình diễn (demo): dịch vụ tra cứu mô phỏng, mã PIN {pin}</source>
      <translation>Demo mode: simulated lookup service, staff PIN {pin}</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="318" />
      <source>Không có camera</source>
      <translation>No camera</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="319" />
      <location filename="../../ui/main_window.py" line="365" />
      <source>Lỗi: {error}</source>
      <translation>Error: {error}</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="368" />
      <source>Mất kết nối camera — đang thử kết nối lại…</source>
      <translation>Camera disconnected — reconnecting…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="438" />
      <location filename="../../ui/main_window.py" line="439" />
      <source>Đang khởi động camera…</source>
      <translation>Starting the camera…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="438" />
      <source>Vui lòng chờ trong giây lát.</source>
      <translation>Please wait a moment.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="442" />
      <source>Mất kết nối camera</source>
      <translation>Camera disconnected</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="443" />
      <source>Máy đang tự kết nối lại với camera.</source>
      <translation>The kiosk is reconnecting to the camera by itself.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="444" />
      <source>Vui lòng chờ, hoặc đến quầy tiếp đón để được hỗ trợ.</source>
      <translation>Please wait, or go to the reception desk for help.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="449" />
      <source>Máy tra cứu chưa khởi động được</source>
      <translation>The kiosk could not start</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="451" />
      <source>Mời đến quầy tiếp đón. Nhân viên: kiểm tra cài đặt (menu Nhân viên).</source>
      <translation>Please go to the reception desk. Staff: check the settings (Staff menu).</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="455" />
      <source>Máy tra cứu đang gặp sự cố</source>
      <translation>The kiosk has a problem</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="456" />
      <source>Không dùng được camera.</source>
      <translation>The camera cannot be used.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="457" />
      <source>Mời đến quầy tiếp đón. Nhân viên: kiểm tra camera trong phần Cài đặt.</source>
      <translation>Please go to the reception desk. Staff: check the camera in Settings.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="460" />
      <source>Đang chờ hình ảnh từ camera…</source>
      <translation>Waiting for the camera picture…</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="469" />
      <source>Màn hình sẽ trở về sau {n} giây</source>
      <translation>This screen closes in {n} seconds</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="499" />
      <source>Máy chưa sẵn sàng, vui lòng chờ.</source>
      <translation>The kiosk is not ready yet, please wait.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="529" />
      <source>Ngôn ngữ</source>
      <translation>Language</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="540" />
      <source>Nhập mã PIN nhân viên để mở menu nhân viên.</source>
      <translation>Enter the staff PIN to open the staff menu.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="543" />
      <source>Menu nhân viên</source>
      <translation>Staff menu</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="544" />
      <source>Chọn việc cần làm:</source>
      <translation>Choose what to do:</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="545" />
      <source>Cài đặt</source>
      <translation>Settings</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="546" />
      <source>Nhật ký tra cứu</source>
      <translation>Lookup log</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="548" />
      <source>Thoát ứng dụng</source>
      <translation>Exit the app</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="549" />
      <source>Đóng</source>
      <translation>Close</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="561" />
      <source>Nhập mã PIN nhân viên để thoát.</source>
      <translation>Enter the staff PIN to exit.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="578" />
      <source>Nhập mã PIN để mở cài đặt.</source>
      <translation>Enter the staff PIN to open the settings.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="611" />
      <source>Đã lưu cài đặt vào {path}.</source>
      <translation>Settings saved to {path}.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="613" />
      <source>Không lưu được cài đặt: {error}</source>
      <translation>The settings could not be saved: {error}</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="615" />
      <source>Chế độ demo: cài đặt chỉ dùng cho lần chạy này.</source>
      <translation>Demo mode: the settings apply to this session only.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="618" />
      <source>Địa chỉ dịch vụ và thời gian chờ có hiệu lực sau khi khởi động lại.</source>
      <translation>The service address and timeouts take effect after a restart.</translation>
    </message>
    <message>
      <location filename="../../ui/main_window.py" line="624" />
      <source>Đang chuyển camera…</source>
      <translation>Switching camera…</translation>
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
</TS>