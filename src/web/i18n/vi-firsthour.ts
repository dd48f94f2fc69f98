/** Vietnamese messages of issue 11's screens: offline revocation lists (CRL) and the first hour. */
export const viFirstHour = {
  'crl.title': 'Danh sách chứng thư bị thu hồi (CRL)',
  'crl.intro':
    'Máy chủ không kết nối Internet kiểm tra chữ ký số bằng các danh sách này. Nạp CRL của từng CA tin cậy và nạp bản mới trước ngày cập nhật kế tiếp.',
  'crl.empty': 'Chưa nạp danh sách thu hồi nào: chữ ký số chỉ được xác định hợp lệ khi máy chủ tra cứu trực tuyến được.',
  'crl.issuer': 'CA phát hành',
  'crl.thisUpdate': 'Phát hành lúc',
  'crl.nextUpdate': 'Cập nhật kế tiếp',
  'crl.revoked': 'Số chứng thư bị thu hồi',
  'crl.state': 'Trạng thái',
  'crl.state.current': 'Còn hiệu lực',
  'crl.state.refresh-due': 'Sắp hết hạn — cần nạp bản mới',
  'crl.state.expired': 'Đã hết hạn — cần nạp bản mới',
  'crl.file': 'Tệp CRL (.crl, .pem)',
  'crl.add': 'Nạp danh sách',
  'crl.added': 'Đã nạp danh sách thu hồi của {issuer}.',
  'crl.remove': 'Gỡ bỏ',
  'crl.removeConfirm': 'Gỡ bỏ danh sách thu hồi của {issuer}? Chữ ký do CA này cấp sẽ không kiểm tra được khi máy chủ không kết nối Internet.',
  'crl.removed': 'Đã gỡ bỏ danh sách thu hồi.',
} satisfies Record<string, string>
