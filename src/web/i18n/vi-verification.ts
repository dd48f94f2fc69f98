/**
 * Kiểm tra chữ ký (issue 12): the document verdict shown first, and the reasons added with the verifier's
 * checks against the published PDF attacks. Keys under `signing.reason.*` extend vi-signing.ts.
 */
export const viVerification = {
  'verify.document.label': 'Kết luận về văn bản',
  'verify.document.valid': 'Văn bản nguyên vẹn, các chữ ký hợp lệ',
  'verify.document.valid.help':
    'Nội dung văn bản đúng như khi ký; sau chữ ký chỉ có thêm chữ ký khác, dữ liệu kiểm tra hoặc dấu thời gian.',
  'verify.document.valid-with-allowed-changes': 'Hợp lệ, có thay đổi được phép sau khi ký',
  'verify.document.valid-with-allowed-changes.help':
    'Các chữ ký hợp lệ. Sau khi ký, văn bản có thay đổi mà chữ ký cho phép (như điền số, ký hiệu, ngày ban hành vào ô biểu mẫu). Xem từng chữ ký để biết thay đổi nào.',
  'verify.document.modified': 'Văn bản đã bị sửa sau khi ký',
  'verify.document.modified.help':
    'Có thay đổi sau khi ký mà chữ ký không cho phép. Nội dung đang hiển thị có thể khác với nội dung đã được ký: không dùng tệp này như bản đã ký.',
  'verify.document.invalid': 'Chữ ký không hợp lệ',
  'verify.document.invalid.help': 'Ít nhất một chữ ký bị hỏng, bị giả mạo hoặc dùng chứng thư đã bị thu hồi.',
  'verify.document.indeterminate': 'Chưa đủ căn cứ để kết luận',
  'verify.document.indeterminate.help':
    'Chưa khẳng định được văn bản còn nguyên vẹn và các chữ ký hợp lệ. Xem các nhận xét dưới đây.',
  'verify.document.reason.signature-invalid': 'Có chữ ký không hợp lệ.',
  'verify.document.reason.modified': 'Có thay đổi sau khi ký mà chữ ký không cho phép.',
  'verify.document.reason.signature-stripped': 'Một chữ ký có trong phiên bản trước đã bị gỡ khỏi văn bản.',
  'verify.document.reason.signature-cloned': 'Có ô chữ ký sao chép lại chữ ký của phiên bản khác.',
  'verify.document.reason.damaged': 'Tệp bị hỏng hoặc bị cắt cụt; chỉ kiểm tra được phần đọc được.',
  'verify.document.reason.trailing-data': 'Có dữ liệu thừa nối sau phiên bản cuối cùng của tệp.',
  'verify.document.reason.revision-chain-broken':
    'Một lần cập nhật không nối tiếp phiên bản trước (bảng xref bất thường).',
  'verify.document.reason.xref-offset-wrong': 'Bảng tham chiếu (xref) của một lần cập nhật trỏ sai vị trí.',
  'verify.document.reason.unlisted-object': 'Một lần cập nhật chứa đối tượng không có trong bảng tham chiếu.',
  'verify.document.reason.changes-unknown': 'Không phân tích được một phiên bản sau khi ký.',
  'verify.document.reason.signature-indeterminate': 'Có chữ ký chưa xác định được.',
  'verify.document.reason.no-signatures': 'Tệp không có chữ ký số.',
  'verify.document.reason.changes-allowed': 'Có thay đổi được phép sau khi ký.',
  'verify.document.reason.unknown': 'Mã nhận xét: {code}.',
  'verify.signature.validWithChanges': 'Hợp lệ – có thay đổi được phép sau khi ký',
  'signing.report.timeDocumentTimestamp': '{time} (theo dấu thời gian của tài liệu)',
  'signing.reason.fieldmdp-violation': 'Ô biểu mẫu mà chữ ký này khóa đã bị sửa sau khi ký.',
  'signing.reason.weak-algorithm':
    'Chữ ký dùng thuật toán không còn an toàn (SHA-1, khóa RSA dưới 2048 bit).',
  'signing.reason.ca-constraints': 'Chứng thư số do một bên không có quyền cấp chứng thư cấp.',
  'signing.reason.expired-no-poe':
    'Chứng thư số đã hết hạn và không có dấu thời gian chứng minh văn bản được ký trước đó.',
  'signing.reason.extended-key-usage':
    'Chứng thư số không được cấp để ký văn bản (ví dụ chứng thư của dịch vụ dấu thời gian).',
  'signing.reason.unknown-critical-extension':
    'Chứng thư số có phần mở rộng bắt buộc mà hệ thống không xử lý được.',
  'signing.reason.signed-bytes-missing': 'Tệp bị cắt cụt: thiếu phần dữ liệu mà chữ ký bao phủ.',
  'signing.reason.modified-after-signing':
    'Sau khi ký, văn bản đã bị thay đổi theo cách chữ ký không cho phép: chữ ký không còn bảo đảm nội dung đang hiển thị.',
  'signing.reason.changes-unknown': 'Không phân tích được phần cập nhật sau chữ ký này.',
  'signing.reason.changes-allowed': 'Sau chữ ký có thay đổi được phép (điền biểu mẫu, ký tiếp).',
  'signing.reason.signature-cloned': 'Có ô chữ ký khác sao chép lại chữ ký này; đó không phải chữ ký mới.',
} as const
